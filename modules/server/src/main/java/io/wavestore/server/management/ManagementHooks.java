package io.wavestore.server.management;

import io.wavestore.server.metrics.MetricsScrape;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * What the management endpoints need from this replica's wiring. pekko-management creates health checks and route
 * providers itself, from class names in configuration, with nothing but the actor system: they find the database
 * probe and the metrics here. Empty until the store's start has made them (a check then reports not ready).
 */
public final class ManagementHooks implements Extension {

    private static final Id ID = new Id();

    private final AtomicReference<DatabaseProbe> database = new AtomicReference<>();
    private final AtomicReference<MetricsScrape> metrics = new AtomicReference<>();

    public static ManagementHooks get(ClassicActorSystemProvider system) {
        return ID.get(system.classicSystem());
    }

    public void database(DatabaseProbe probe) {
        database.set(probe);
    }

    public Optional<DatabaseProbe> database() {
        return Optional.ofNullable(database.get());
    }

    public void metrics(MetricsScrape scrape) {
        metrics.set(scrape);
    }

    public Optional<MetricsScrape> metrics() {
        return Optional.ofNullable(metrics.get());
    }

    private static final class Id extends AbstractExtensionId<ManagementHooks> {
        @Override
        public ManagementHooks createExtension(ExtendedActorSystem system) {
            return new ManagementHooks();
        }
    }
}
