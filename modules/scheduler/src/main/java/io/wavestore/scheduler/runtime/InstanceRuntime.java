package io.wavestore.scheduler.runtime;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;

/**
 * The seam between the store and where instances run. {@code HelmRuntime} keeps each instance as one Helm release
 * on Kubernetes; {@code LocalRuntime} as a local launcher process and a record file. The runtime is the only
 * record of instances: {@link #list()} after a restart gives back every one.
 *
 * <p>Calls block (they talk to Kubernetes or start processes): the InstanceActor makes them on a blocking
 * dispatcher, one at a time per instance. Failures are {@link RuntimeFailure}s.
 */
public interface InstanceRuntime extends AutoCloseable {

    /** Creates the instance and starts it (unless its record says suspended). */
    void install(InstanceSpec spec);

    /**
     * Applies a changed spec to an existing instance: another app version, visibility, suspended or resumed.
     * Suspending scales to zero and keeps volumes.
     */
    void upgrade(InstanceSpec spec);

    /** Removes the instance and its volumes. Removing one that is already gone is not an error. */
    void uninstall(String instanceId);

    /** Every instance this store owns, from the runtime's own records. */
    List<InstanceRecord> list();

    Optional<InstanceRecord> get(String instanceId);

    /** The workload's state now. */
    InstanceHealth health(String instanceId);

    /**
     * The main container's log.
     *
     * @param tailLines how many of the last lines to start with
     * @param follow    keep the stream open and deliver new lines until closed
     */
    LogStream logs(String instanceId, int tailLines, boolean follow);

    /** Starts telling {@code events} about every change; close the result to stop. */
    Closeable watch(InstanceEvents events);

    /** A description for logs, e.g. "Helm releases in namespace wavestore-apps of https://...". */
    String describe();

    @Override
    default void close() {
    }

    /** Lines of a log; blocking reads; closing ends a follow. */
    interface LogStream extends Closeable {
        /** The next line, or empty at the end of the log. */
        Optional<String> nextLine() throws java.io.IOException;
    }
}
