package io.wavestore.server.http;

import io.wavestore.server.problem.Problem;
import io.wavestore.server.problem.ProblemResponses;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The outermost layer of the store's routes: whatever no route answered (no such path, a method or content type no
 * route takes, an exception that escaped) and a request that outlived pekko's request-timeout answer
 * {@code application/problem+json}, as the API does, instead of pekko's plain text.
 */
public final class ProblemEdges extends AllDirectives {

    private final ProblemResponses problems;

    public ProblemEdges(ProblemResponses problems) {
        this.problems = problems;
    }

    public Route around(Route routes) {
        return extractUri(uri -> handleExceptions(problems.exceptionHandler(uri.path()), () ->
                handleRejections(problems.rejectionHandler(), () ->
                        withRequestTimeoutResponse(request -> problems.response(Problem.of("timeout", "Timed out", 503,
                                "the store did not answer in time; try again", null)), () -> routes))));
    }
}
