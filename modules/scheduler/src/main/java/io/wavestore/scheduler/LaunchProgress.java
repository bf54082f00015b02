package io.wavestore.scheduler;

import java.time.Instant;
import java.util.List;

/**
 * What an instance's launcher last reported: the step it is at (DOWNLOADING_BUNDLE, SOURCING_APP,
 * INSTALLING_DEPENDENCIES, STARTING_WAVE_SERVER, STARTING_APP, READY, or FAILED), whether that step is
 * {@code running}, {@code done} or {@code failed}, and on failure the last lines of output.
 */
public record LaunchProgress(String step, String state, String message, List<String> outputTail, long sequence, Instant at)
        implements CborSerializable {

    public LaunchProgress {
        outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
    }

    public boolean failed() {
        return "failed".equals(state) || "FAILED".equals(step);
    }
}
