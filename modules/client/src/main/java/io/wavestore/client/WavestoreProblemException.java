package io.wavestore.client;

import java.util.List;

/** The store refused a call with a problem+json answer (or an answer the client turned into one). */
public class WavestoreProblemException extends WavestoreException {

    private final Problem problem;

    public WavestoreProblemException(Problem problem) {
        super(message(problem));
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public int status() {
        return problem.status();
    }

    public String type() {
        return problem.type();
    }

    /** The short code of the problem's type, e.g. {@code app-not-found}. */
    public String code() {
        return problem.code();
    }

    public String detail() {
        return problem.detail();
    }

    /** The input that was wrong, or null. */
    public String field() {
        return problem.field();
    }

    public List<Problem.FieldError> errors() {
        return problem.errors();
    }

    private static String message(Problem p) {
        return p.status() + " " + p.code() + ": " + (p.detail() != null ? p.detail() : p.title());
    }
}
