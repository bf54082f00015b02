package io.wavestore.scheduler;

import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.bundle.RuntimeSection;
import java.util.List;
import java.util.Optional;

/**
 * How the scheduler learns what an app version needs to run, without knowing where the catalog keeps it. The
 * server implements it over the catalog. Blocking; called on the scheduler's blocking dispatcher.
 */
public interface AppLookup {

    /** The app version, or empty when it does not exist (any more). */
    Optional<AppRuntime> find(String appName, String appVersion);

    /** What an instance of one app version runs. */
    record AppRuntime(String appId, String appName, String appVersion, String appOwnerId, InstanceLifecycle lifecycle,
            RuntimeSection runtime, List<EnvVarSpec> env, List<FileSpec> files, String bundleSha256)
            implements CborSerializable {

        public AppRuntime {
            env = List.copyOf(env);
            files = List.copyOf(files);
        }
    }
}
