package io.wavestore.scheduler;

import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.util.Optional;

/**
 * The live view of one instance: what the runtime says of it, never stored anywhere.
 *
 * @param record    empty when the instance does not exist (never did, or was terminated)
 * @param health    its workload now
 * @param operation the lifecycle change in progress, if any (e.g. "suspend")
 * @param lastError why the last change failed, until the next one succeeds
 * @param progress  what the launcher last reported of the current start
 * @param suspendedReason why a suspended instance is: {@value #IDLE} when the store suspended it for idleness (kept
 *                  with the suspension in the runtime, {@link InstanceRecord#suspendedReason()}: a rebuilt actor knows it)
 */
public record InstanceView(String instanceId, Optional<InstanceRecord> record, InstanceHealth health,
        Optional<String> operation, Optional<String> lastError, Optional<LaunchProgress> progress,
        Optional<String> suspendedReason) implements CborSerializable {

    /** The reason of an instance the store suspended because nobody used it for its timeout. */
    public static final String IDLE = "idle";

    public InstanceView(String instanceId, Optional<InstanceRecord> record, InstanceHealth health,
            Optional<String> operation, Optional<String> lastError, Optional<LaunchProgress> progress) {
        this(instanceId, record, health, operation, lastError, progress, Optional.empty());
    }

    public boolean exists() {
        return record.isPresent();
    }
}
