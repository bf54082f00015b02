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
 */
public record InstanceView(String instanceId, Optional<InstanceRecord> record, InstanceHealth health,
        Optional<String> operation, Optional<String> lastError, Optional<LaunchProgress> progress) implements CborSerializable {

    public boolean exists() {
        return record.isPresent();
    }
}
