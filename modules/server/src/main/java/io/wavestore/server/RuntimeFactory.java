package io.wavestore.server;

import com.typesafe.config.Config;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/** Picks where instances run, from {@code wavestore.scheduler.runtime}. */
final class RuntimeFactory {

    private RuntimeFactory() {
    }

    static Optional<InstanceRuntime> create(ActorSystem<?> system, Config scheduler, Path dataDir) {
        String kind = scheduler.getString("runtime");
        return switch (kind) {
            case "none" -> Optional.empty();
            default -> throw new IllegalArgumentException("wavestore.scheduler.runtime (WAVESTORE_RUNTIME) is '" + kind
                    + "'; it must be none or kubernetes");
        };
    }
}
