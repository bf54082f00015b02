package io.wavestore.cli;

/** A failure the command found itself (a bad local bundle, a missing file), with its message and exit code. */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
