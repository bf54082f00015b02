package io.wavestore.cli;

/**
 * What the command's exit status means, so that scripts can tell a missing app from a refused sign-in. Problems
 * the store answers map by their HTTP status.
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** Something failed that none of the codes below describes (a 5xx answer, a local file that cannot be read). */
    public static final int FAILED = 1;
    /** The command line itself was wrong (picocli's own code). */
    public static final int USAGE = 2;
    /** The input was refused: a bad bundle, a bad field (400, 413, 422), or a local bundle check that failed. */
    public static final int INVALID = 3;
    /** Not signed in, or signed in as someone who may not (401, 403). */
    public static final int AUTH = 4;
    /** No such app version, instance, tag, alias or token (404). */
    public static final int NOT_FOUND = 5;
    /** The state does not allow it: in use, already exists, a limit was hit (409, 429). */
    public static final int CONFLICT = 6;
    /** The store could not be reached or is unavailable right now (503, connection refused, time-out). */
    public static final int UNAVAILABLE = 7;
    /** An instance that was being waited for failed to start. */
    public static final int INSTANCE_FAILED = 8;

    private ExitCodes() {
    }

    public static int forStatus(int status) {
        return switch (status) {
            case 400, 413, 415, 422 -> INVALID;
            case 401, 403 -> AUTH;
            case 404 -> NOT_FOUND;
            case 409, 429 -> CONFLICT;
            case 502, 503, 504 -> UNAVAILABLE;
            default -> FAILED;
        };
    }
}
