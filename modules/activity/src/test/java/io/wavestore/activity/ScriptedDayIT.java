package io.wavestore.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage of a scripted day, from events recorded through the history into real PostgreSQL, matches the hours worked
 * out by hand, and still does after a restart of the (only) replica, whose rebuild looks at every release again.
 */
@ExtendWith(PostgresExtension.class)
class ScriptedDayIT {

    static final Instant DAY = Instant.parse("2026-12-01T00:00:00Z");
    static final Instant NEXT_DAY = Instant.parse("2026-12-02T00:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void usageOfAScriptedDayMatchesTheExpectedHoursAcrossARestart(TestDatabase db) throws Exception {
        try (HistoryNode node = HistoryNode.start(db.url(), db.user(), db.password(), dataDir, 0, 0, Map.of())) {
            // olga: i-a runs app1 1.0 08-12, suspended 12-13, 13-15 on 1.0, 15-17 on 2.0, terminated at 17: 8 h.
            record(node, "2026-12-01T08:00:00Z", ActivityKind.INSTANCE_STARTED, "i-a", "app1", "1.0", "olga");
            record(node, "2026-12-01T12:00:00Z", ActivityKind.INSTANCE_SUSPENDED, "i-a", "app1", "1.0", "olga");
            record(node, "2026-12-01T13:00:00Z", ActivityKind.INSTANCE_RESUMED, "i-a", "app1", "1.0", "olga");
            record(node, "2026-12-01T15:00:00Z", ActivityKind.INSTANCE_UPDATED, "i-a", "app1", "2.0", "olga");
            record(node, "2026-12-01T17:00:00Z", ActivityKind.INSTANCE_TERMINATED, "i-a", "app1", "2.0", "olga");
            // bob: i-b installed with helm the evening before, removed with helm at 02:00: 2 h of this day.
            record(node, "2026-11-30T22:00:00Z", ActivityKind.RELEASE_INSTALLED_OUTSIDE, "i-b", "app2", "1.0", "bob");
            record(node, "2026-12-01T02:00:00Z", ActivityKind.RELEASE_REMOVED_OUTSIDE, "i-b", "app2", "1.0", "bob");
            // carol: i-c from 20:00, fails at 21:00 (Kubernetes keeps running it), runs past midnight: 4 h.
            record(node, "2026-12-01T20:00:00Z", ActivityKind.INSTANCE_STARTED, "i-c", "app2", "1.0", "carol");
            record(node, "2026-12-01T21:00:00Z", ActivityKind.INSTANCE_FAILED, "i-c", "app2", "1.0", "carol");
            await().atMost(Duration.ofSeconds(30)).until(() -> node.dao().count(ActivityFilter.all()) == 9);
            assertExpectedHours(node);
        }
        try (HistoryNode restarted = HistoryNode.start(db.url(), db.user(), db.password(), dataDir, 0, 0, Map.of())) {
            // The rebuilt store sees carol's release again, as it is: no news, no new hour.
            restarted.recorder().releaseObserved(new InstanceRecord("i-c", "app2-1.0", "app2", "1.0", "carol", true,
                    Visibility.PRIVATE, false, DAY, InstanceRecord.ReleaseState.DEPLOYED, 1));
            restarted.recorder().record(ActivityFact.ofApp(Instant.now(), ActivityKind.APP_VERSION_CHANGED,
                    Actor.user("olga"), "app1", "1.0", "olga", Map.of())).toCompletableFuture().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> restarted.dao().count(ActivityFilter.all()) == 10);
            assertThat(restarted.dao().count(ActivityHistoryIT.instance("i-c"))).isEqualTo(2);
            assertExpectedHours(restarted);
        }
    }

    private static void assertExpectedHours(HistoryNode node) {
        List<ActivityRow> events = node.dao().runningEvents(DAY, NEXT_DAY);
        Instant later = NEXT_DAY.plus(Duration.ofDays(3));
        assertThat(Usage.of(events, Usage.By.USER, DAY, NEXT_DAY, later))
                .extracting(Usage.Line::user, Usage.Line::hours)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("olga", 8.0),
                        org.assertj.core.groups.Tuple.tuple("carol", 4.0), org.assertj.core.groups.Tuple.tuple("bob", 2.0));
        assertThat(Usage.of(events, Usage.By.APP, DAY, NEXT_DAY, later))
                .extracting(Usage.Line::app, Usage.Line::version, Usage.Line::hours)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app1", "1.0", 6.0),
                        org.assertj.core.groups.Tuple.tuple("app2", "1.0", 6.0),
                        org.assertj.core.groups.Tuple.tuple("app1", "2.0", 2.0));
    }

    private static void record(HistoryNode node, String at, ActivityKind kind, String instance, String app,
            String version, String owner) throws Exception {
        Actor actor = kind.name().startsWith("RELEASE") || kind == ActivityKind.INSTANCE_FAILED ? Actor.KUBERNETES
                : Actor.user(owner);
        Map<String, String> details = kind == ActivityKind.RELEASE_INSTALLED_OUTSIDE
                ? Map.of("suspended", "false", "visibility", "PRIVATE") : Map.of("visibility", "PRIVATE");
        node.recorder().record(ActivityFact.ofInstance(Instant.parse(at), kind, actor, instance, app, version, owner,
                details)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
