package io.wavestore.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The history on one replica against real PostgreSQL: journal, projection, filters, observations, retention. */
@ExtendWith(PostgresExtension.class)
class ActivityHistoryIT {

    @TempDir
    Path dataDir;

    HistoryNode node;

    @BeforeEach
    void start(TestDatabase db) {
        node = HistoryNode.start(db.url(), db.user(), db.password(), dataDir, 0, 0, Map.of());
        // The database is the test class's: each test starts with an empty history.
        node.database.jdbi().useHandle(h -> h.execute("TRUNCATE activity, event_journal, snapshot CASCADE"));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void aFactIsOneEventWithItsActorAndARetryWritesNothingTwice() throws Exception {
        ActivityFact fact = ActivityFact.ofApp(Instant.now(), ActivityKind.APP_VERSION_UPLOADED, Actor.user("olga"),
                "io.x.hello", "1.0.0", "olga", Map.of("visibility", "PUBLIC"));
        node.recorder().record(fact).toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.recorder().record(fact).toCompletableFuture().get(30, TimeUnit.SECONDS); // a retry of the same fact

        List<ActivityRow> rows = awaitRows(ActivityFilter.all(), 1);
        ActivityRow row = rows.get(0);
        assertThat(row.id()).isEqualTo(fact.id());
        assertThat(row.kind()).isEqualTo("APP_VERSION_UPLOADED");
        assertThat(row.actorType()).isEqualTo("USER");
        assertThat(row.actorId()).isEqualTo("olga");
        assertThat(row.appName()).isEqualTo("io.x.hello");
        assertThat(row.details()).containsEntry("visibility", "PUBLIC");
        assertThat(row.at()).isEqualTo(fact.at());
        assertThat(journalEvents()).isEqualTo(1);
    }

    @Test
    void aReleaseInstalledChangedAndRemovedWithHelmIsObservedOnceEach() throws Exception {
        InstanceRecord installed = record("i-helm1", "1.0.0", false);
        node.recorder().releaseObserved(installed);
        node.recorder().releaseObserved(installed); // a store rebuilt after a restart sees it again: no news
        awaitRows(instance("i-helm1"), 1);
        node.recorder().releaseObserved(record("i-helm1", "2.0.0", false)); // helm upgrade by hand
        awaitRows(instance("i-helm1"), 2);
        node.recorder().releaseRemoved(record("i-helm1", "2.0.0", false)); // helm uninstall by hand
        node.recorder().releaseRemoved(record("i-helm1", "2.0.0", false));
        List<ActivityRow> rows = awaitRows(instance("i-helm1"), 3);

        assertThat(rows).extracting(ActivityRow::kind).containsExactly("RELEASE_REMOVED_OUTSIDE",
                "RELEASE_CHANGED_OUTSIDE", "RELEASE_INSTALLED_OUTSIDE");
        assertThat(rows).allSatisfy(r -> assertThat(r.actorType()).isEqualTo("KUBERNETES"));
        assertThat(rows.get(1).details()).containsEntry("from_version", "1.0.0");
        assertThat(rows).extracting(ActivityRow::running).containsExactly(false, true, true);
    }

    @Test
    void theStoresOwnCommandsAreNotObservedAgainAndFailuresAndRestartsAreRecordedOnce() throws Exception {
        node.recorder().record(ActivityFact.ofInstance(Instant.now(), ActivityKind.INSTANCE_STARTED, Actor.user("olga"),
                "i-own1", "io.x.hello", "1.0.0", "olga", Map.of("visibility", "PRIVATE")));
        awaitRows(instance("i-own1"), 1);
        node.recorder().releaseObserved(record("i-own1", "1.0.0", false)); // the watch reports the store's own start
        node.recorder().healthObserved(record("i-own1", "1.0.0", false), health(InstanceHealth.Phase.RUNNING, 2, null));
        node.recorder().healthObserved(record("i-own1", "1.0.0", false), health(InstanceHealth.Phase.RUNNING, 2, null));
        awaitRows(instance("i-own1"), 2);
        node.recorder().healthObserved(record("i-own1", "1.0.0", false),
                health(InstanceHealth.Phase.FAILED, 3, "CrashLoopBackOff"));
        node.recorder().healthObserved(record("i-own1", "1.0.0", false),
                health(InstanceHealth.Phase.FAILED, 3, "CrashLoopBackOff"));
        List<ActivityRow> rows = awaitRows(instance("i-own1"), 3);

        assertThat(rows).extracting(ActivityRow::kind).containsExactly("INSTANCE_FAILED", "INSTANCE_RESTARTED",
                "INSTANCE_STARTED");
        assertThat(rows.get(0).details()).containsEntry("reason", "CrashLoopBackOff");
        assertThat(rows.get(1).details()).containsEntry("restarts", "2");
    }

    @Test
    void usersSeeWhatConcernsThemAndVisitorsTheirOwnInstances() throws Exception {
        Instant now = Instant.now();
        node.recorder().record(ActivityFact.ofInstance(now, ActivityKind.INSTANCE_STARTED, Actor.user("olga"), "i-o1",
                "io.x.a", "1.0.0", "olga", Map.of())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.recorder().record(ActivityFact.ofInstance(now, ActivityKind.INSTANCE_STARTED, Actor.user("vic"), "i-v1",
                "io.x.a", "1.0.0", "vic", Map.of())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.recorder().record(ActivityFact.ofApp(now, ActivityKind.APP_VERSION_CHANGED, Actor.user("admin"), "io.x.a",
                "1.0.0", "olga", Map.of("visibility", "PUBLIC"))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        awaitRows(ActivityFilter.all(), 3);

        ActivityFilter asVic = new ActivityFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("vic"), true);
        assertThat(node.dao().page(asVic, 50, 0)).extracting(ActivityRow::instanceId).containsExactly("i-v1");
        ActivityFilter asOlga = new ActivityFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("olga"), false);
        assertThat(node.dao().page(asOlga, 50, 0)).extracting(ActivityRow::kind)
                .containsExactlyInAnyOrder("INSTANCE_STARTED", "APP_VERSION_CHANGED");
        ActivityFilter byVic = new ActivityFilter(Optional.empty(), Optional.empty(), Optional.of("vic"), Optional.empty(),
                Optional.empty(), Optional.empty(), false);
        assertThat(node.dao().count(byVic)).isEqualTo(1);
        ActivityFilter future = new ActivityFilter(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(now.plusSeconds(60)), Optional.empty(), Optional.empty(), false);
        assertThat(node.dao().count(future)).isZero();
    }

    @Test
    void retentionDeletesOldEventsWithTheirSnapshotsAndRows() throws Exception {
        for (int i = 0; i < 5; i++) {
            node.recorder().record(ActivityFact.ofApp(Instant.now(), ActivityKind.APP_VERSION_CHANGED, Actor.user("olga"),
                    "io.x.kept", "1.0." + i, "olga", Map.of())).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        awaitRows(ActivityFilter.all(), 5);
        assertThat(node.dao().deleteBefore(Instant.now().minus(Duration.ofDays(1)))).isZero();
        assertThat(node.dao().deleteBefore(Instant.now().plusSeconds(1))).isEqualTo(5);
        assertThat(node.dao().count(ActivityFilter.all())).isZero();
        assertThat(journalEvents()).isZero();
    }

    private long journalEvents() {
        return node.database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM event_journal")
                .mapTo(Long.class).one());
    }

    private List<ActivityRow> awaitRows(ActivityFilter filter, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> node.dao().count(filter) >= expected);
        List<ActivityRow> rows = node.dao().page(filter, 100, 0);
        assertThat(rows).hasSize(expected);
        return rows;
    }

    static ActivityFilter instance(String id) {
        return new ActivityFilter(Optional.empty(), Optional.of(id), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), false);
    }

    static InstanceRecord record(String id, String version, boolean suspended) {
        return new InstanceRecord(id, "app-" + version, "io.x.hello", version, "olga", true, Visibility.PRIVATE, suspended,
                Instant.parse("2026-12-01T00:00:00Z"), InstanceRecord.ReleaseState.DEPLOYED, 1);
    }

    static InstanceHealth health(InstanceHealth.Phase phase, int restarts, String reason) {
        return new InstanceHealth(phase, phase == InstanceHealth.Phase.RUNNING, restarts, Optional.ofNullable(reason),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Instant.now());
    }
}
