package io.wavestore.server.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the store's routes, and unbinds gracefully through coordinated shutdown: new connections are refused
 * first, then requests in flight get up to the deadline to finish.
 */
public final class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private HttpServer() {
    }

    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route route, String host, int port,
            Duration shutdownDeadline) {
        return Http.get(system).newServerAt(host, port).bind(route).thenApply(binding -> {
            InetSocketAddress address = binding.localAddress();
            LOG.info("Wavestore listening on http://{}:{}/", address.getHostString(), address.getPort());
            return binding.addToCoordinatedShutdown(shutdownDeadline, system);
        });
    }
}
