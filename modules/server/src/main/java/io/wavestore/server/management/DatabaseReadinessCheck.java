package io.wavestore.server.management;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * Readiness: the database answers a trivial query in time. Without it a replica can serve nothing but errors, so it
 * should get no traffic; but it is still alive (liveness does not ask), since restarting it would not bring the
 * database back. Registered in management.conf.
 */
public final class DatabaseReadinessCheck implements Supplier<CompletionStage<Boolean>> {

    private final ManagementHooks hooks;

    public DatabaseReadinessCheck(ActorSystem system) {
        this.hooks = ManagementHooks.get(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        return hooks.database().map(probe -> probe.answers().thenCompose(answered -> NotReady.unless(answered,
                        "wavestore-database: the database did not answer SELECT 1 in time")))
                .orElse(NotReady.unless(false, "wavestore-database: not connected yet"));
    }
}
