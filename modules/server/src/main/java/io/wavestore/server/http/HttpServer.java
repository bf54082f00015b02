package io.wavestore.server.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.impl.engine.server.GracefulTerminatorStage;
import org.apache.pekko.http.impl.engine.server.MasterServerTerminator;
import org.apache.pekko.http.impl.engine.server.ServerTerminator;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.ExecutionContextExecutor;
import scala.jdk.javaapi.FutureConverters;

/**
 * Binds the store's routes, and unbinds gracefully through coordinated shutdown: new connections are refused
 * first, then requests in flight get up to the deadline to finish.
 *
 * <p>With a header read timeout, each connection is pekko-http's own server stack (its HTTP layer, its graceful
 * terminator, an idle timeout) over {@link HeaderReadTimeout}, assembled here as pekko's
 * {@code Http().newServerAt(...).bind(...)} assembles it (pekko-http 1.3.0, {@code HttpExt.bindAndHandle}), because
 * pekko offers no place for a stage under its HTTP parser. It uses two of pekko's internal classes for graceful
 * termination, {@code GracefulTerminatorStage} and {@code MasterServerTerminator}: check them when upgrading pekko-http.
 */
public final class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private HttpServer() {
    }

    /** @param headerReadTimeout zero: no limit (pekko's own binding) */
    public static CompletionStage<ServerBinding> start(ActorSystem<?> system, Route route, String host, int port,
            Duration shutdownDeadline, Duration headerReadTimeout) {
        CompletionStage<ServerBinding> bound = headerReadTimeout.isZero()
                ? Http.get(system).newServerAt(host, port).bind(route)
                : bindWithHeaderReadTimeout(system, route, host, port, headerReadTimeout);
        return bound.thenApply(binding -> {
            InetSocketAddress address = binding.localAddress();
            LOG.info("Wavestore listening on http://{}:{}/", address.getHostString(), address.getPort());
            return binding.addToCoordinatedShutdown(shutdownDeadline, system);
        });
    }

    private static CompletionStage<ServerBinding> bindWithHeaderReadTimeout(ActorSystem<?> system, Route route, String host,
            int port, Duration headerReadTimeout) {
        org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
        ServerSettings settings = ServerSettings.create(classic);
        LoggingAdapter log = classic.log();
        Materializer materializer = Materializer.matFromSystem(system);
        ExecutionContextExecutor executor = classic.dispatcher();
        Flow<HttpRequest, HttpResponse, NotUsed> handler = route.flow(system);
        MasterServerTerminator terminator = new MasterServerTerminator(log);
        return Tcp.get(classic)
                // pekko handles idle connections itself (below), not the TCP layer
                .bind(host, port, settings.getBacklog(), settings.getSocketOptions(), false, Optional.empty())
                .mapAsyncUnordered(settings.getMaxConnections(), connection -> {
                    Pair<CompletionStage<Done>, ServerTerminator> handled = handler
                            .watchTermination(Keep.right())
                            .joinMat(layers(system, settings, log, connection.remoteAddress(), headerReadTimeout), Keep.both())
                            .joinMat(connection.flow(), Keep.left())
                            .addAttributes(cancellationDelay(settings))
                            .run(materializer);
                    ServerTerminator connectionTerminator = handled.second();
                    terminator.registerConnection(connectionTerminator, executor);
                    return handled.first()
                            .whenComplete((done, error) -> terminator.removeConnection(connectionTerminator))
                            // A connection's failure (the client went away) must not end the listening socket.
                            .exceptionally(error -> Done.getInstance());
                })
                .to(Sink.ignore())
                .run(materializer)
                .thenApply(tcp -> new ServerBinding(new org.apache.pekko.http.scaladsl.Http.ServerBinding(tcp.localAddress(),
                        () -> FutureConverters.asScala(unbindOnce(tcp)),
                        deadline -> terminator.terminate(deadline, executor))));
    }

    /**
     * pekko's binding unbinds twice at shutdown (the unbind phase, then again before terminating connections); the
     * TCP listener answers only the first time, so the second must get the first's answer, not ask again.
     */
    private static CompletionStage<scala.runtime.BoxedUnit> unbindOnce(Tcp.ServerBinding tcp) {
        synchronized (UNBINDS) {
            return UNBINDS.computeIfAbsent(tcp, binding -> binding.unbind().thenApply(unbound -> scala.runtime.BoxedUnit.UNIT));
        }
    }

    private static final java.util.Map<Tcp.ServerBinding, CompletionStage<scala.runtime.BoxedUnit>> UNBINDS =
            new java.util.WeakHashMap<>();

    /**
     * As pekko's own binding: a cancelled stage waits {@code stream-cancellation-delay} before failing, so that a
     * last response (the one a graceful shutdown lets finish) is written before the connection is torn down.
     */
    private static Attributes cancellationDelay(ServerSettings settings) {
        scala.concurrent.duration.FiniteDuration delay =
                ((org.apache.pekko.http.scaladsl.settings.ServerSettings) settings).streamCancellationDelay();
        var failStage = Attributes.cancellationStrategyFailStage();
        return Attributes.apply(new Attributes.CancellationStrategy(delay.length() == 0 ? failStage
                : Attributes.cancellationStrategyAfterDelay(delay, failStage)));
    }

    /** From the handler's requests and responses down to the connection's bytes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, ServerTerminator> layers(ActorSystem<?> system,
            ServerSettings settings, LoggingAdapter log, InetSocketAddress remote, Duration headerReadTimeout) {
        // pekko's model classes implement the Java API's, so its Scala stages carry the same objects.
        BidiFlow graceful = GracefulTerminatorStage.apply(Adapter.toClassic(system),
                (org.apache.pekko.http.scaladsl.settings.ServerSettings) settings).asJava();
        BidiFlow http = Http.get(system).serverLayer(settings, Optional.of(remote), log);
        BidiFlow bytes = http.atop((BidiFlow) TLSPlacebo.getInstance());
        scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
        if (idle.isFinite()) {
            bytes = bytes.atop(BidiFlow.bidirectionalIdleTimeout(Duration.ofNanos(idle.toNanos())));
        }
        bytes = bytes.atop(HeaderReadTimeout.bidi(headerReadTimeout));
        return (BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, ServerTerminator>) graceful.atop(bytes, Keep.left());
    }
}
