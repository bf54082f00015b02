package io.wavestore.scheduler.local;

import io.wavestore.scheduler.runtime.InstanceSpec;

/** Instance specs for tests outside this package. */
public final class LocalSpecs {
    private LocalSpecs() {
    }

    /** A running hello-wave instance whose app.toml names {@code runtimeVersion}. */
    public static InstanceSpec withRuntimeVersion(String id, String runtimeVersion) {
        return PythonInterpretersTest.withRuntimeVersion(LocalRuntimeSharedRootTest.spec(id, false), runtimeVersion);
    }
}
