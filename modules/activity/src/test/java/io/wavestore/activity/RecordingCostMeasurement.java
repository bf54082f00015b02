package io.wavestore.activity;

import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, not tests: what recording costs a lifecycle command. A command hands one fact to the recorder (the only
 * part on its path) and goes on; in the background the fact's entity writes one journal row and its tag, and the
 * projection one activity row. Instance facts, 50 instances round robin, as a busy store would send them; a warm-up
 * first. Opt-in; loadtest/activity-history.md has the numbers and the command. Nothing here asserts a time.
 */
@ExtendWith(PostgresExtension.class)
@EnabledIfSystemProperty(named = "wavestore.measure", matches = "activity")
class RecordingCostMeasurement {

    static final int WARM_UP = 500;
    static final int FACTS = 2000;
    static final int INSTANCES = 50;

    @TempDir
    Path dataDir;

    @Test
    void measure(TestDatabase db) throws Exception {
        try (HistoryNode node = HistoryNode.start(db.url(), db.user(), db.password(), dataDir, 0, 0, Map.of())) {
            run(node, WARM_UP, "warm");
            await(node, WARM_UP);
            long[] handOver = new long[FACTS];
            long[] written = new long[FACTS];
            List<CompletableFuture<?>> all = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < FACTS; i++) {
                ActivityFact fact = fact("run", i);
                long t0 = System.nanoTime();
                CompletableFuture<?> done = node.recorder().record(fact).toCompletableFuture();
                handOver[i] = System.nanoTime() - t0;
                int n = i;
                all.add(done.thenRun(() -> written[n] = System.nanoTime() - t0));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            long journalled = System.nanoTime() - start;
            await(node, WARM_UP + FACTS);
            long projected = System.nanoTime() - start;

            String report = """
                    # Recording cost per lifecycle command (RecordingCostMeasurement)

                    %d instance facts after a warm-up of %d, %d instances round robin, one replica, PostgreSQL on loopback.

                    | what | p50 | p90 | p99 | max |
                    | --- | --- | --- | --- | --- |
                    | hand-over on the command's path (`record()` returns) | %s | %s | %s | %s |
                    | until the fact is in the journal (background) | %s | %s | %s | %s |

                    All %d in the journal after %d ms (%.0f facts/s); all in the activity table after %d ms.
                    """.formatted(FACTS, WARM_UP, INSTANCES,
                    us(handOver, 50), us(handOver, 90), us(handOver, 99), us(handOver, 100),
                    ms(written, 50), ms(written, 90), ms(written, 99), ms(written, 100),
                    FACTS, journalled / 1_000_000, FACTS / (journalled / 1e9), projected / 1_000_000);
            Files.writeString(Path.of("target", "activity-cost-measurement.md"), report);
            System.out.println(report);
        }
    }

    private static void run(HistoryNode node, int count, String prefix) throws Exception {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(node.recorder().record(fact(prefix, i)).toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    }

    private static ActivityFact fact(String prefix, int i) {
        ActivityKind kind = i % 2 == 0 ? ActivityKind.INSTANCE_SUSPENDED : ActivityKind.INSTANCE_RESUMED;
        return ActivityFact.ofInstance(Instant.now(), kind, Actor.user("olga"), "i-" + prefix + (i % INSTANCES), "app",
                "1.0", "olga", Map.of());
    }

    private static void await(HistoryNode node, long rows) {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> node.dao().count(ActivityFilter.all()) >= rows);
    }

    private static String us(long[] nanos, int percentile) {
        return String.format("%.1f µs", at(nanos, percentile) / 1e3);
    }

    private static String ms(long[] nanos, int percentile) {
        return String.format("%.1f ms", at(nanos, percentile) / 1e6);
    }

    private static long at(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
