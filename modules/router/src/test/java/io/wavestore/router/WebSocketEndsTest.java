package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.StreamTcpException;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class WebSocketEndsTest {

    static final ActorSystem<Void> SYSTEM = ActorSystem.create(Behaviors.empty(), "websocket-ends");

    @AfterAll
    static void stop() {
        SYSTEM.terminate();
    }

    @Test
    void abortsAndResetsEndTheOtherSideNormally() throws Exception {
        for (Throwable gone : List.of(new StreamTcpException("Connection reset by peer"),
                new org.apache.pekko.http.scaladsl.model.ws.PeerClosedConnectionException(1006, "gone"),
                new RuntimeException(new java.io.IOException("Broken pipe")),
                new org.apache.pekko.stream.AbruptStageTerminationException(null))) {
            // Completes (an abort may overtake the last messages in flight: it is an abort).
            List<String> received = Source.<String>failed(gone)
                    .via(WebSocketEnds.<String>endQuietly("browser"))
                    .runWith(Sink.seq(), SYSTEM).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(received).as(gone.toString()).isEmpty();
        }
    }

    @Test
    void messagesPassAsTheyAre() throws Exception {
        assertThat(Source.from(List.of("a", "b")).via(WebSocketEnds.<String>endQuietly("instance"))
                .runWith(Sink.seq(), SYSTEM).toCompletableFuture().get(10, TimeUnit.SECONDS)).containsExactly("a", "b");
    }

    @Test
    void realErrorsStillFail() {
        assertThatThrownBy(() -> Source.<String>failed(new IllegalStateException("a bug"))
                .via(WebSocketEnds.<String>endQuietly("instance"))
                .runWith(Sink.seq(), SYSTEM).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(WebSocketEnds.isExpectedEnd(new IllegalArgumentException("protocol"))).isFalse();
    }
}
