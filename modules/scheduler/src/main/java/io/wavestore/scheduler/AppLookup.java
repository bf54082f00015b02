package io.wavestore.scheduler;

import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.bundle.RuntimeSection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the scheduler learns what an app version needs to run, without knowing where the catalog keeps it. The
 * server implements it over the catalog. Blocking; called on the scheduler's blocking dispatcher.
 */
public interface AppLookup {

    /** The app version, or empty when it does not exist (any more). */
    Optional<AppRuntime> find(String appName, String appVersion);

    /**
     * What an instance of one app version runs.
     *
     * @param instanceTimeout app.toml's {@code InstanceTimeout} (empty: none given; {@code AppSection.TIMEOUT_OFF}: -1)
     */
    record AppRuntime(String appId, String appName, String appVersion, String appOwnerId, InstanceLifecycle lifecycle,
            RuntimeSection runtime, List<EnvVarSpec> env, List<FileSpec> files, String bundleSha256,
            Optional<Duration> instanceTimeout)
            implements CborSerializable {

        public AppRuntime {
            env = List.copyOf(env);
            files = List.copyOf(files);
        }

        /** An app version whose app.toml gives no {@code InstanceTimeout}. */
        public AppRuntime(String appId, String appName, String appVersion, String appOwnerId, InstanceLifecycle lifecycle,
                RuntimeSection runtime, List<EnvVarSpec> env, List<FileSpec> files, String bundleSha256) {
            this(appId, appName, appVersion, appOwnerId, lifecycle, runtime, env, files, bundleSha256, Optional.empty());
        }
    }
}
