package io.wavestore.server.api;

import io.wavestore.server.problem.Problem;
/** A request the API refuses before it reaches the catalog: a bad parameter, a body that is too large. */
public final class ApiException extends io.wavestore.server.problem.ProblemException {
    private static final long serialVersionUID = 1L;

    public ApiException(Problem problem) {
        super(problem);
    }

    public static ApiException badParameter(String field, String detail) {
        return new ApiException(Problem.of("invalid-parameter", "Invalid parameter", 400, detail, field));
    }
}
