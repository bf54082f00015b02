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
            ServerSettings settings, io.wavestore.router.StoreFiles files, org.apache.pekko.http.javadsl.server.Route routes) {
        DataPlane plane;
        try {
            plane = router.serve(settings.httpHost(), settings.httpPort(), storeRoutes, settings.headerReadTimeout(), files,
                    inProcess(system, routes));
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

    /**
     * The same routes the loopback binding serves, as a function the data plane calls for the requests it read whole,
     * with pekko-http's server settings it keeps for them (request timeout, Server header).
     */
    private static io.wavestore.router.StoreRoutes inProcess(ActorSystem<?> system,
            org.apache.pekko.http.javadsl.server.Route routes) {
        org.apache.pekko.http.javadsl.settings.ServerSettings pekko =
                org.apache.pekko.http.javadsl.settings.ServerSettings.create(system.classicSystem());
        scala.concurrent.duration.Duration timeout = pekko.getTimeouts().requestTimeout();
        return new io.wavestore.router.StoreRoutes(routes.handler(system),
                org.apache.pekko.stream.Materializer.matFromSystem(system),
                timeout.isFinite() ? java.time.Duration.ofNanos(timeout.toNanos()) : java.time.Duration.ZERO,
                pekko.getServerHeader().map(server -> server.value()),
                new io.wavestore.router.StoreRoutes.ParserLimits(pekko.getParserSettings().getMaxUriLength(),
                        pekko.getParserSettings().getMaxHeaderCount(), pekko.getParserSettings().getMaxHeaderNameLength(),
                        pekko.getParserSettings().getMaxHeaderValueLength(),
                        pekko.getParserSettings().getMaxContentLength()));
    }
}
