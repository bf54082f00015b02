package io.wavestore.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavestore.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's database goes away while facts are recorded: recording still returns at once (a lifecycle command
 * never waits for it), the facts are retried in the background, and once the database is back each is written once.
 */
class JournalOutageIT {

    @TempDir
    Path dataDir;

    @Test
    void factsRecordedDuringAnOutageAreWrittenOnceWhenTheDatabaseIsBack() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String url = server.createDatabase();
            Map<String, Object> quick = Map.of("wavestore.activity.ask-timeout", "1s",
                    "wavestore.activity.retry-max-backoff", "2s", "wavestore.database.connection-timeout", "5s");
            try (HistoryNode node = HistoryNode.start(url, server.user(), server.password(), dataDir, 0, 0, quick)) {
                ActivityFact before = fact("before");
                node.recorder().record(before).toCompletableFuture().get(1, java.util.concurrent.TimeUnit.MINUTES); // the entity is up and has its journal

                server.stop();
                CompletableFuture<?> during = node.recorder().record(fact("during")).toCompletableFuture();
                CompletableFuture<?> another = node.recorder().record(fact("another")).toCompletableFuture();
                // Handed over, not written: whoever recorded them went on at once.
                assertThat(during).isNotDone();
                assertThat(another).isNotDone();

                server.startAgain();
                CompletableFuture.allOf(during, another).get(2, java.util.concurrent.TimeUnit.MINUTES);
                await().atMost(Duration.ofSeconds(60)).until(() -> node.dao().count(ActivityFilter.all()) >= 3);
                assertThat(node.dao().count(ActivityFilter.all())).isEqualTo(3);
                long journalled = node.database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM event_journal")
                        .mapTo(Long.class).one());
                assertThat(journalled).isEqualTo(3);
            }
        }
    }

    private static ActivityFact fact(String what) {
        return ActivityFact.ofApp(Instant.now(), ActivityKind.APP_VERSION_CHANGED, Actor.user("olga"), "io.x." + what,
                "1.0.0", "olga", Map.of());
    }
}
