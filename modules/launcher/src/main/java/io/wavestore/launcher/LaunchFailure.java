package io.wavestore.launcher;

import java.util.List;

/**
 * A step could not be completed: {@code getMessage()} is the reason shown to the user, {@code outputTail} the
 * last lines of the child process that failed (pip, waved, the app), if one did.
 */
final class LaunchFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<String> outputTail;

    LaunchFailure(String message) {
        this(message, List.of(), null);
    }

    LaunchFailure(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    LaunchFailure(String message, List<String> outputTail) {
        this(message, outputTail, null);
    }

    LaunchFailure(String message, List<String> outputTail, Throwable cause) {
        super(message, cause);
        this.outputTail = List.copyOf(outputTail);
    }

    List<String> outputTail() {
        return outputTail;
    }
}
