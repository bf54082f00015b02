package io.wavestore.server.http;

import io.wavestore.router.DataPlane;
import io.wavestore.router.Router;
import io.wavestore.server.ServerSettings;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's public port when the router runs: its data plane, in front of the store's pekko-http routes on a
 * loopback port. Stops with coordinated shutdown: it stops accepting connections when the store unbinds, and its
 * event loops stop once requests in flight had their time (service-stop).
 */
public final class DataPlaneServer {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlaneServer.class);

    private DataPlaneServer() {
    }

    /** @return the public address it listens on */
    public static InetSocketAddress start(ActorSystem<?> system, Router router, InetSocketAddress storeRoutes,
            ServerSettings settings, io.wavestore.router.StoreFiles files) {
        DataPlane plane;
        try {
            plane = router.serve(settings.httpHost(), settings.httpPort(), storeRoutes, settings.headerReadTimeout(), files);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
        // The public port closes when the store's routes behind it unbind (same phase), not later: a connection
        // accepted in between would be relayed to a closed loopback port and answered 502.
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "data-plane-unbind", () -> {
            plane.stopAccepting();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceStop(), "data-plane", () -> {
            plane.close();
            return CompletableFuture.completedFuture(Done.getInstance());
        });
        InetSocketAddress address = new InetSocketAddress(settings.httpHost(), plane.port());
        LOG.info("Wavestore listening on http://{}:{}/", address.getHostString(), address.getPort());
        return address;
    }
}
