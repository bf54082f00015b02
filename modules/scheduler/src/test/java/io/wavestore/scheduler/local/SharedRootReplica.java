package io.wavestore.scheduler.local;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Another store process on the same instance root, for {@link LocalRuntimeSharedRootTest}: it starts a local runtime
 * (which adopts or restarts every launcher, as a replica does when it starts) and exits, leaving its launchers running.
 * Arguments: the root, the fake launcher script, the store URL.
 */
public final class SharedRootReplica {

    private SharedRootReplica() {
    }

    public static void main(String[] args) {
        new LocalRuntime(LocalRuntimeSharedRootTest.settings(Path.of(args[0]), Path.of(args[1]), args[2]), Clock.systemUTC());
        System.out.println("adopted or restarted");
    }
}
