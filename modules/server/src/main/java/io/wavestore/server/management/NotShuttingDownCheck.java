package io.wavestore.server.management;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * Readiness: this replica is not shutting down. From the moment coordinated shutdown starts (SIGTERM included) the
 * replica reports not ready, so the load balancer stops sending it requests while it drains those in flight and
 * leaves the cluster. Registered in management.conf.
 */
public final class NotShuttingDownCheck implements Supplier<CompletionStage<Boolean>> {

    private final CoordinatedShutdown shutdown;

    public NotShuttingDownCheck(ActorSystem system) {
        this.shutdown = CoordinatedShutdown.get(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        return NotReady.unless(shutdown.getShutdownReason().isEmpty(),
                "wavestore-not-shutting-down: the replica is shutting down");
    }
}
