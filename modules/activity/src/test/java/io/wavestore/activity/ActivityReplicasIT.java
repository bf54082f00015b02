package io.wavestore.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas in one cluster, one of them killed (its actor system ends without leaving: a crashed pod) while the
 * other two record. Facts whose entities lived on the dead replica are retried until their shards move: every fact
 * is in the journal and the activity table exactly once.
 */
@ExtendWith(PostgresExtension.class)
class ActivityReplicasIT {

    static final int FACTS = 240;

    @TempDir
    Path dataDir;

    @Test
    void oneReplicaKilledLosesNoEventAndWritesNoneTwice(TestDatabase db) throws Exception {
        int seed = FreePorts.onLoopback();
        Map<String, Object> crashes = Map.of(
                // A crash, not a leave: no coordinated shutdown, no hand-over; the others must notice and down it.
                "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off",
                "pekko.cluster.run-coordinated-shutdown-when-down", "off");
        try (HistoryNode a = HistoryNode.start(db.url(), db.user(), db.password(), dataDir.resolve("a"), seed, seed, Map.of());
                HistoryNode b = HistoryNode.start(db.url(), db.user(), db.password(), dataDir.resolve("b"), 0, seed, Map.of());
                HistoryNode c = HistoryNode.start(db.url(), db.user(), db.password(), dataDir.resolve("c"), 0, seed, crashes)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> membersUp(a) == 3);

            List<CompletableFuture<?>> written = new ArrayList<>();
            for (int i = 0; i < FACTS; i++) {
                HistoryNode via = i % 2 == 0 ? a : b;
                ActivityFact fact = ActivityFact.ofApp(Instant.now(), ActivityKind.APP_VERSION_CHANGED, Actor.user("olga"),
                        "app-" + i, "1.0.0", "olga", Map.of("n", Integer.toString(i)));
                written.add(via.recorder().record(fact).toCompletableFuture());
                if (i == FACTS / 3) {
                    c.kit.system().terminate(); // some of these facts' entities live there
                }
                if (i % 20 == 0) {
                    via.recorder().record(fact); // a duplicate, as a retry after a lost answer would send
                }
            }
            CompletableFuture.allOf(written.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);

            await().atMost(Duration.ofSeconds(90)).until(() -> a.dao().count(ActivityFilter.all()) >= FACTS);
            assertThat(a.dao().count(ActivityFilter.all())).isEqualTo(FACTS);
            assertThat(count(a, "SELECT count(DISTINCT fact_id) FROM activity")).isEqualTo(FACTS);
            assertThat(count(a, "SELECT count(*) FROM event_journal")).isEqualTo(FACTS);
        }
    }

    private static long count(HistoryNode node, String sql) {
        return node.database.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static long membersUp(HistoryNode node) {
        long up = 0;
        for (var member : Cluster.get(node.kit.system()).state().getMembers()) {
            up += member.status() == MemberStatus.up() ? 1 : 0;
        }
        return up;
    }
}
