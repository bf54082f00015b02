package io.wavestore.activity;

import io.wavestore.scheduler.CborSerializable;
import java.time.Instant;

/**
 * What the store saw of an instance in the runtime, before the history decides whether it is news.
 *
 * @param failure the workload's failure reason (HEALTH, CLEANED_UP), else null
 * @param message Kubernetes' detail for the failure, or why the store removed the release, else null
 */
public record InstanceObservation(
        String id,
        Instant at,
        Type type,
        String instanceId,
        String appName,
        String appVersion,
        String ownerId,
        boolean suspended,
        String visibility,
        int restarts,
        String failure,
        String message) implements CborSerializable {

    public enum Type {
        /** The runtime has the release as described. */
        PRESENT,
        /** The runtime no longer has it. */
        REMOVED,
        /** The workload's health: a failure or a restart. */
        HEALTH,
        /** The store removed a release that can never run. */
        CLEANED_UP
    }
}
