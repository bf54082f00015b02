package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/**
 * An instance: its record, its phase ({@code STOPPED, PENDING, STARTING, RUNNING, FAILED}), readiness, why it is not
 * running when it is not, and the launcher's progress while it starts.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Instance(String id, String url, String appName, String appVersion, String appId, String owner,
        Visibility visibility, boolean suspended, Instant createdAt, String phase, boolean ready, int restarts,
        String reason, String message, Integer exitCode, List<Event> events, String releaseState, String operation,
        String lastError, Progress progress) {

    public Instance {
        events = events == null ? List.of() : List.copyOf(events);
    }

    public boolean running() {
        return "RUNNING".equals(phase) && ready;
    }

    public boolean failed() {
        return "FAILED".equals(phase);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(Instant at, String type, String reason, String message) {
    }

    /** The launcher's last report: its step (DOWNLOADING_BUNDLE ... READY), state and the tail of its output. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Progress(String step, String state, String message, List<String> outputTail, long sequence,
            Instant at) {

        public Progress {
            outputTail = outputTail == null ? List.of() : List.copyOf(outputTail);
        }
    }
}
