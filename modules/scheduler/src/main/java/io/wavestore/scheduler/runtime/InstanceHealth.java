package io.wavestore.scheduler.runtime;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime sees of an instance's workload right now (on Kubernetes: its pod and events).
 *
 * @param phase     where the workload is
 * @param ready     the readiness probe passes: the router may send traffic
 * @param restarts  container restarts so far
 * @param reason    why it is not running, e.g. {@code CrashLoopBackOff}, {@code ImagePullBackOff},
 *                  {@code Unschedulable}, {@code Error}
 * @param message   the detail Kubernetes gives with the reason
 * @param exitCode  the last exit code of the main container, when it terminated
 * @param address   where the router reaches the Wave server ({@code host:port}), once known
 * @param events    recent events, newest last
 */
public record InstanceHealth(
        Phase phase,
        boolean ready,
        int restarts,
        Optional<String> reason,
        Optional<String> message,
        Optional<Integer> exitCode,
        Optional<String> address,
        List<Event> events,
        Instant observedAt) {

    public InstanceHealth {
        events = List.copyOf(events);
    }

    public enum Phase {
        /** No workload: suspended, or not created yet. */
        STOPPED,
        /** Waiting to be scheduled or for its image. */
        PENDING,
        /** Started, not ready yet. */
        STARTING,
        /** Ready. */
        RUNNING,
        /** Cannot start or keeps crashing: {@code reason} says why. */
        FAILED
    }

    /** A Kubernetes event (or the local runtime's equivalent). */
    public record Event(Instant at, String type, String reason, String message) {
    }

    public static InstanceHealth stopped(Instant now) {
        return new InstanceHealth(Phase.STOPPED, false, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), now);
    }
}
