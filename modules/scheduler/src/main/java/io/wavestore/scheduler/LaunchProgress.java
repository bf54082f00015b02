package io.wavestore.scheduler;

import java.time.Instant;
import java.util.List;

/**
 * What an instance's launcher last reported: the step it is at (DOWNLOADING_BUNDLE, SOURCING_APP,
 * INSTALLING_DEPENDENCIES, STARTING_WAVE_SERVER, STARTING_APP, READY, or FAILED), whether that step is
 * {@code running}, {@code done} or {@code failed}, and on failure the last lines of output. {@code routes} are the Wave
 * routes the app registered with waved so far (relative to its base URL, in order), which browsers are sent to.
 */
public record LaunchProgress(String step, String state, String message, List<String> outputTail, long sequence, Instant at,
        List<String> routes) implements CborSerializable {

    /** An app may register any number of routes; the store keeps the first ones (it only ever opens the first). */
    static final int MAX_ROUTES = 32;

    public LaunchProgress {
        outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
        routes = routes == null ? List.of()
                : routes.stream().filter(java.util.Objects::nonNull).limit(MAX_ROUTES).toList();
    }

    /** A report that names no route (a step before the app started, or an app that registered none). */
    public LaunchProgress(String step, String state, String message, List<String> outputTail, long sequence, Instant at) {
        this(step, state, message, outputTail, sequence, at, List.of());
    }

    public boolean failed() {
        return "failed".equals(state) || "FAILED".equals(step);
    }
}
