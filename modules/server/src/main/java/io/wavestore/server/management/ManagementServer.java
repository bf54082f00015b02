package io.wavestore.server.management;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Management HTTP of one replica (pekko-management): {@code /alive}, {@code /ready}, {@code /metrics}, and cluster
 * bootstrap's contact point. It starts before anything else, so that liveness answers while the store migrates its
 * database, and it stops last, so that readiness answers 503 while the replica drains.
 */
public final class ManagementServer {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private ManagementServer() {
    }

    /**
     * The pekko settings that follow from the store's: where management listens, and coordinated shutdown's phases
     * long enough for the unready delay and for requests in flight to drain.
     *
     * @param shutdownDeadline how long requests in flight get at shutdown (wavestore.http.shutdown-deadline)
     */
    public static Config pekkoSettings(ManagementSettings settings, java.time.Duration shutdownDeadline) {
        java.time.Duration margin = java.time.Duration.ofSeconds(5);
        return ConfigFactory.parseMap(Map.of(
                "pekko.management.http.hostname", settings.host(),
                "pekko.management.http.port", settings.port(),
                "pekko.coordinated-shutdown.phases.before-service-unbind.timeout",
                settings.unreadyDelay().plus(margin).toMillis() + "ms",
                "pekko.coordinated-shutdown.phases.service-requests-done.timeout",
                shutdownDeadline.plus(margin).toMillis() + "ms"));
    }

    /** Binds management HTTP; completes with its address, or fails when it cannot listen. */
    public static CompletionStage<InetSocketAddress> start(ActorSystem<?> system, ManagementSettings settings) {
        PekkoManagement management = PekkoManagement.get(system);
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
        if (!settings.unreadyDelay().isZero()) {
            // Readiness is already failing (NotShuttingDownCheck); keep serving while load balancers notice it.
            shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "report-unready-before-unbind", () -> {
                CompletableFuture<Done> waited = new CompletableFuture<>();
                return waited.completeOnTimeout(Done.getInstance(), settings.unreadyDelay().toMillis(),
                        TimeUnit.MILLISECONDS);
            });
        }
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "stop-management-http", management::stop);
        return management.start().thenApply((Uri uri) -> {
            InetSocketAddress address = InetSocketAddress.createUnresolved(uri.host().address(), uri.port());
            LOG.info("management HTTP on http://{}:{}/ (alive, ready, metrics)", address.getHostString(), address.getPort());
            return address;
        });
    }
}
