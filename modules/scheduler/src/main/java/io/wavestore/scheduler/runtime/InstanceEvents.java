package io.wavestore.scheduler.runtime;

/**
 * What a runtime tells the store about changes it sees, made through the store or not (for example with the
 * {@code helm} command line). Called from the runtime's watch threads; implementations must not block.
 */
public interface InstanceEvents {

    /** An instance appeared or its record changed (install, upgrade, a failed or pending change). */
    void recordChanged(InstanceRecord record);

    /** An instance is gone (uninstalled). */
    void recordRemoved(String instanceId);

    /** The workload of an instance changed (pod phase, readiness, restarts, events). */
    void healthChanged(String instanceId, InstanceHealth health);
}
