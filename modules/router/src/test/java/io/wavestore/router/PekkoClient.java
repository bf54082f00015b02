package io.wavestore.router;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * pekko-http's client, for requests to an app's own host name: it sends the Host header it is given while connecting
 * to loopback (no DNS for *.localhost needed).
 */
final class PekkoClient implements AutoCloseable {

    private final ActorSystem<?> system;
    private final Materializer materializer;

    PekkoClient(ActorSystem<?> system) {
        this.system = system;
        this.materializer = Materializer.matFromSystem(system);
    }

    HttpResponse get(String url, String host) throws Exception {
        return Http.get(system).singleRequest(HttpRequest.GET(url).addHeader(hostHeader(host)))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String body(HttpResponse response) throws Exception {
        return response.entity().toStrict(30_000, materializer).toCompletableFuture().get(30, TimeUnit.SECONDS)
                .getData().utf8String();
    }

    /** Sends the messages, one after the other, and collects as many answers. */
    List<String> echo(String url, String host, List<String> messages) throws Exception {
        String all = converse(url, host, Optional.empty(), messages,
                text -> text.split("\n", -1).length - 1 >= messages.size());
        return List.of(all.substring(1).split("\n"));
    }

    /**
     * A WebSocket conversation: sends {@code messages}, then reads text messages until all of them together (each
     * after a newline) satisfy {@code done}; answers them so joined.
     */
    String converse(String url, String host, Optional<String> origin, List<String> messages,
            java.util.function.Predicate<String> done) throws Exception {
        WebSocketRequest request = WebSocketRequest.create(url).addHeader(hostHeader(host));
        if (origin.isPresent()) {
            request = request.addHeader(RawHeader.create("Origin", origin.get()));
        }
        Source<Message, ?> out = Source.from(messages).map(m -> (Message) TextMessage.create(m))
                .concat(Source.maybe());
        Sink<Message, CompletionStage<String>> in = Flow.<Message>create()
                .mapAsync(1, m -> m.asTextMessage().toStrict(30_000, materializer))
                .map(TextMessage::getStrictText)
                .scan("", (all, message) -> all + "\n" + message)
                .takeWhile(all -> !done.test(all), true)
                .completionTimeout(java.time.Duration.ofSeconds(30))
                .toMat(Sink.last(), Keep.right());
        Flow<Message, Message, CompletionStage<String>> flow = Flow.fromSinkAndSourceMat(in, out, Keep.left());
        Pair<CompletionStage<WebSocketUpgradeResponse>, CompletionStage<String>> result = Http.get(system)
                .singleWebSocketRequest(request, flow, ConnectionContext.noEncryption(), Optional.empty(),
                        org.apache.pekko.http.javadsl.settings.ClientConnectionSettings.create(system.classicSystem()),
                        org.apache.pekko.event.Logging.getLogger(system.classicSystem(), PekkoClient.class), materializer);
        WebSocketUpgradeResponse upgrade = result.first().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (!upgrade.isValid()) {
            throw new IllegalStateException("upgrade refused: " + upgrade.response().status() + " " + upgrade.invalidationReason());
        }
        return result.second().toCompletableFuture().get(40, TimeUnit.SECONDS);
    }

    private static Host hostHeader(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return colon < 0 ? Host.create(hostAndPort) : Host.create(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    @Override
    public void close() {
    }
}
