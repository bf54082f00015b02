package io.wavestore.router;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.http.javadsl.settings.ClientConnectionSettings;
import org.apache.pekko.http.javadsl.settings.ConnectionPoolSettings;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;

/**
 * The instance's side of the router: HTTP through a connection pool per instance, WebSockets one connection each.
 * Bodies and messages are streams end to end, never held whole: pekko-http passes demand from the slower side to the
 * faster one, so a slow browser slows the app's sending and a slow app slows the browser's upload.
 */
final class Upstream {

    private final Http http;
    private final ConnectionPoolSettings pool;
    private final ClientConnectionSettings webSocketSettings;
    private final LoggingAdapter log;
    private final Materializer materializer;
    private final ProxyMetrics metrics;

    Upstream(ActorSystem<?> system, RouterSettings settings, ProxyMetrics metrics) {
        this.http = Http.get(system);
        this.metrics = metrics;
        this.log = Logging.getLogger(system.classicSystem(), Upstream.class);
        this.materializer = Materializer.matFromSystem(system);
        ClientConnectionSettings connection = ClientConnectionSettings.create(system.classicSystem())
                .withConnectingTimeout(settings.connectTimeout())
                .withIdleTimeout(settings.idleTimeout())
                // An app's answer may be a large download: it streams, whatever its size.
                .withParserSettings(ClientConnectionSettings.create(system.classicSystem()).getParserSettings()
                        .withMaxContentLength(Long.MAX_VALUE))
                .withUserAgentHeader(Optional.empty());
        this.pool = ConnectionPoolSettings.create(system.classicSystem())
                // HTTP answers' headers are passed on, not looked at: no need to parse them into pekko's models beyond
                // the few pekko needs itself. (The WebSocket handshake needs its models: not for WebSockets.)
                .withConnectionSettings(connection.withParserSettings(connection.getParserSettings()
                        .withModeledHeaderParsing(false)))
                .withMaxConnections(settings.maxConnectionsPerInstance())
                .withMaxOpenRequests(Integer.highestOneBit(settings.maxConnectionsPerInstance() * 16 - 1) << 1)
                // One quiet retry for an idempotent request whose kept-alive connection the app had just closed;
                // the router itself re-resolves the instance once when it cannot connect at all.
                .withMaxRetries(1)
                .withBaseConnectionBackoff(java.time.Duration.ofMillis(50))
                .withMaxConnectionBackoff(java.time.Duration.ofSeconds(1))
                .withIdleTimeout(settings.idleTimeout());
        this.webSocketSettings = connection.withWebsocketSettings(connection.getWebsocketSettings()
                .withPeriodicKeepAliveMode("ping")
                .withPeriodicKeepAliveMaxIdle(settings.websocketKeepAlive()));
    }

    /** Sends the request (absolute URI of the instance) and answers with the instance's response, still streaming. */
    CompletionStage<HttpResponse> http(HttpRequest request) {
        long start = System.nanoTime();
        return Stages.direct(http.singleRequest(request, http.defaultClientHttpsContext(), pool, log))
                .whenComplete((response, error) -> measured(ProxyMetrics.Kind.HTTP, start, response, error));
    }

    private void measured(ProxyMetrics.Kind kind, long start, HttpResponse response, Throwable error) {
        java.time.Duration latency = java.time.Duration.ofNanos(System.nanoTime() - start);
        if (error == null) {
            metrics.upstreamAnswered(kind, response.status().intValue(), latency);
        } else {
            metrics.upstreamFailed(kind, latency);
        }
    }

    /**
     * Opens the WebSocket to the instance first, and answers the browser's upgrade only once the instance accepted:
     * a refused or failed upgrade reaches the browser as an HTTP status instead of a socket that closes at once.
     *
     * @param fromBrowser applied to the browser's messages on their way to the instance
     */
    CompletionStage<HttpResponse> webSocket(WebSocketUpgrade upgrade, Uri uri, List<HttpHeader> headers,
            Flow<Message, Message, NotUsed> fromBrowser) {
        WebSocketRequest request = WebSocketRequest.create(uri);
        for (HttpHeader header : headers) {
            request = request.addHeader(header);
        }
        List<String> protocols = new ArrayList<>();
        upgrade.getRequestedProtocols().forEach(protocols::add);
        if (!protocols.isEmpty()) {
            request = request.requestSubprotocol(String.join(",", protocols));
        }
        // The instance's side is materialized now; the browser's side is plugged in when the instance said yes.
        Flow<Message, Message, Pair<Publisher<Message>, Subscriber<Message>>> instanceSide = Flow.fromSinkAndSourceMat(
                Sink.<Message>asPublisher(AsPublisher.WITHOUT_FANOUT), Source.<Message>asSubscriber(), Keep.both());
        Pair<CompletionStage<WebSocketUpgradeResponse>, Pair<Publisher<Message>, Subscriber<Message>>> opened =
                http.singleWebSocketRequest(request, instanceSide, ConnectionContext.noEncryption(), Optional.empty(),
                        webSocketSettings, log, materializer);
        long start = System.nanoTime();
        Publisher<Message> fromInstance = opened.second().first();
        Subscriber<Message> toInstance = opened.second().second();
        return Stages.direct(opened.first()).whenComplete((answer, error) -> measured(ProxyMetrics.Kind.WEBSOCKET, start,
                answer == null ? null : answer.response(), error)).thenApply(answer -> {
            if (!answer.isValid()) {
                Source.fromPublisher(fromInstance).runWith(Sink.cancelled(), materializer);
                Source.<Message>empty().runWith(Sink.fromSubscriber(toInstance), materializer);
                HttpResponse refused = answer.response();
                int status = refused.status().intValue();
                return status >= 400 && status < 600
                        ? HttpResponse.create().withStatus(refused.status())
                                .withEntity(HttpEntities.create("the app refused the WebSocket: " + answer.invalidationReason()))
                        : HttpResponse.create().withStatus(StatusCodes.BAD_GATEWAY)
                                .withEntity(HttpEntities.create("the app's WebSocket handshake failed: "
                                        + answer.invalidationReason()));
            }
            // Counted from when pekko-http runs the browser's side until either side ends it.
            // A side that goes away without a close frame ends the other one normally (WebSocketEnds).
            Flow<Message, Message, NotUsed> browserSide = Flow.fromSinkAndSourceCoupled(
                    WebSocketEnds.<Message>endQuietly("browser").via(fromBrowser).to(Sink.fromSubscriber(toInstance)),
                    Source.fromPublisher(fromInstance).via(WebSocketEnds.endQuietly("instance")))
                    .watchTermination((notUsed, ended) -> {
                        metrics.webSocketOpened();
                        ended.whenComplete((done, error) -> metrics.webSocketClosed());
                        return notUsed;
                    });
            return answer.chosenSubprotocol().isPresent()
                    ? upgrade.handleMessagesWith(browserSide, answer.chosenSubprotocol().get())
                    : upgrade.handleMessagesWith(browserSide);
        });
    }

    /** The instance could not be reached at all (nothing was sent): worth asking again where it is. */
    static boolean isConnectFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StreamTcpException || t instanceof java.net.ConnectException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The browser sent more than wavestore.router.max-request-bytes. */
    static boolean isTooLarge(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof org.apache.pekko.http.scaladsl.model.EntityStreamSizeException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
