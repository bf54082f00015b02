package io.wavestore.scheduler;

import static io.wavestore.scheduler.TestInstances.APP;
import static io.wavestore.scheduler.TestInstances.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance's life through its sharded actor and the ReleaseWatcher's directory, on a cluster of one, with a runtime
 * whose watch reports only when the test says: what a request for the instance and a listing show must not depend on
 * how late the watch is, nor on what it saw before a change.
 */
class InstanceLifecycleTest {

    private static final Duration IDLE_TIMEOUT = TestInstances.IDLE_TIMEOUT;

    private ActorTestKit kit;
    private final HeldEventsRuntime runtime = new HeldEventsRuntime();
    private ActorRef<ReleaseWatcher.Command> directory;
    private AppLookup apps;
    private InstanceSpecFactory specs;
    private TestProbe<Topic.Command<InstanceChanges.InstanceChanged>> changes;
    private final RecordedActivity activity = new RecordedActivity();
    private final SteppedClock clock = new SteppedClock();

    @BeforeEach
    void startACluster() {
        kit = ActorTestKit.create(ConfigFactory.parseMap(Map.of(
                "pekko.actor.provider", "cluster",
                "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                "pekko.remote.artery.canonical.port", 0,
                // A busy machine (load 45 on two cores) took more than the default 3 s to answer a start.
                "pekko.actor.testkit.typed.single-expect-default", "30s",
                "wavestore.scheduler.idle.check-interval", "100ms")).withFallback(ConfigFactory.load()));
        Cluster cluster = Cluster.get(kit.system());
        cluster.manager().tell(Join.create(cluster.selfMember().address()));
        Awaitility.await("the node is up").atMost(Duration.ofSeconds(30))
                .until(() -> cluster.selfMember().status() == MemberStatus.up());
        SchedulerSettings settings = TestInstances.settings();
        specs = TestInstances.specs(settings);
        apps = TestInstances.everyVersion();
        changes = kit.createTestProbe();
        directory = kit.spawn(ReleaseWatcher.create(runtime, settings, Clock.systemUTC()));
        InstanceActor.init(kit.system(), new InstanceDependencies(runtime, apps, specs, clock, changes.ref(), directory,
                activity));
    }

    @AfterEach
    void stopTheCluster() {
        kit.shutdownTestKit();
    }

    @Test
    void aTerminatedInstanceLeavesTheListingAtOnceAndALateRecordDoesNotBringItBack() {
        EntityRef<InstanceActor.Command> instance = start("i-gone");
        InstanceRecord before = view(instance).record().orElseThrow();
        runtime.deliver();
        assertThat(listed()).containsExactly("i-gone");

        assertThat(ask(instance, InstanceActor.Terminate::new)).isInstanceOf(InstanceActor.Done.class);
        assertThat(listed()).as("listed after its API answers 404, while the watch has not caught up").isEmpty();

        // A look at the runtime from before the removal, reported after it (a poll, an informer's resync).
        instance.tell(new InstanceActor.RecordObserved(before));
        assertThat(view(instance).exists()).as("the instance is back after its removal").isFalse();
        runtime.reportNow(before);
        assertThat(listed()).as("the directory took the late record for a new instance").isEmpty();

        runtime.deliver();
        assertThat(listed()).isEmpty();
        assertThat(view(instance).exists()).isFalse();
    }

    @Test
    void suspendAndResumeNeverShowWhatWasSeenOfTheLauncherTheyStopped() {
        EntityRef<InstanceActor.Command> instance = start("i-pause");
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));

        runtime.holdChanges();
        TestProbe<InstanceActor.Reply> suspended = kit.createTestProbe();
        instance.tell(new InstanceActor.Suspend(suspended.ref()));
        runtime.awaitChangeUnderWay();
        // What a watch saw as the suspend stopped the launcher: its exit on SIGTERM.
        instance.tell(new InstanceActor.HealthObserved(new InstanceHealth(InstanceHealth.Phase.FAILED, false, 0,
                Optional.of("LauncherExited"), Optional.of("the launcher stopped with exit code 143"), Optional.of(143),
                Optional.of("127.0.0.1:1"), List.of(), Instant.now())));
        // Seen while the change runs (it travels through the shard region, the change's end does not): wait until the
        // actor took it, so that the change's own reading comes after it, as when a watch reports during a change.
        assertThat(view(instance).health().phase()).isEqualTo(InstanceHealth.Phase.FAILED);
        runtime.letChangesFinish();
        suspended.expectMessageClass(InstanceActor.Done.class);

        assertThat(view(instance).health().phase()).as("after the suspend").isEqualTo(InstanceHealth.Phase.STOPPED);
        assertThat(ask(instance, InstanceActor.Resume::new)).isInstanceOf(InstanceActor.Done.class);
        InstanceView resumed = view(instance);
        assertThat(resumed.health().phase()).as("after the resume").isEqualTo(InstanceHealth.Phase.STARTING);
        assertThat(resumed.health().exitCode()).isEmpty();
    }

    @Test
    void whatTheWatchSawAfterAChangesOwnLookIsKept() {
        EntityRef<InstanceActor.Command> instance = start("i-newer");
        runtime.holdChanges();
        TestProbe<InstanceActor.Reply> suspended = kit.createTestProbe();
        instance.tell(new InstanceActor.Suspend(suspended.ref()));
        runtime.awaitChangeUnderWay();
        // The watch reports a change once: one it saw after the change read the workload must survive the change's end
        // (a pod that turned Running while its start finished stayed PENDING for good in KubernetesInstancesIT).
        InstanceHealth later = new InstanceHealth(InstanceHealth.Phase.STOPPED, false, 0, Optional.of("Seen later"),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), Instant.now().plusSeconds(30));
        instance.tell(new InstanceActor.HealthObserved(later));
        assertThat(view(instance).health().reason()).contains("Seen later");
        runtime.letChangesFinish();
        suspended.expectMessageClass(InstanceActor.Done.class);

        assertThat(view(instance).health().reason()).as("the newer observation stays").contains("Seen later");
    }

    @Test
    void aReadyInstanceIsNotMovedBackByAStartingReportButARestartedLauncherIsFollowed() {
        EntityRef<InstanceActor.Command> instance = start("i-ready");
        instance.tell(report("STARTING_APP", "running", 5));
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));
        assertThat(view(instance).health().ready()).as("waved answers, the app has not registered yet").isFalse();
        instance.tell(report("READY", "done", 6));
        assertThat(view(instance).health().ready()).isTrue();

        // A forged or stale report after READY: with a higher sequence, and as a launcher's first report.
        instance.tell(report("STARTING_APP", "running", 7));
        instance.tell(report("DOWNLOADING_BUNDLE", "running", 1));
        InstanceView after = view(instance);
        assertThat(after.health().phase()).isEqualTo(InstanceHealth.Phase.RUNNING);
        assertThat(after.health().ready()).isTrue();
        assertThat(after.progress().orElseThrow().step()).isEqualTo("READY");

        // The launcher really starts again (a restarted container): the runtime sees it first, then its reports count.
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.STARTING)));
        instance.tell(report("SOURCING_APP", "running", 2));
        InstanceView restarted = view(instance);
        assertThat(restarted.progress().orElseThrow().step()).isEqualTo("SOURCING_APP");
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));
        assertThat(view(instance).health().ready()).as("until that launcher says READY").isFalse();
    }

    /**
     * The launcher's READY is the moment its instance serves: the actor looks at the runtime then, instead of waiting
     * for the watch's next poll (a second on the embedded default) with a ready instance shown as starting.
     */
    @Test
    void aReadyReportLooksAtTheRuntimeAtOnceInsteadOfWaitingForTheWatch() {
        EntityRef<InstanceActor.Command> instance = start("i-signalled");
        instance.tell(report("STARTING_APP", "running", 5));
        runtime.changeUnseen("i-signalled", InstanceHealth.Phase.RUNNING);
        assertThat(view(instance).health().phase()).as("the watch has not told").isEqualTo(InstanceHealth.Phase.STARTING);

        instance.tell(report("READY", "done", 6));
        Awaitility.await("RUNNING without the watch").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            InstanceView view = view(instance);
            assertThat(view.health().phase()).isEqualTo(InstanceHealth.Phase.RUNNING);
            assertThat(view.health().ready()).isTrue();
        });
        runtime.deliver();
        assertThat(view(instance).health().ready()).as("the watch's late report of the same").isTrue();
    }

    /**
     * An actor started afresh (after a move) and woken by the release watcher's record of a running instance knows
     * nothing of its workload until the watch's health follows: it answers then, never STOPPED before.
     */
    @Test
    void anActorWokenByTheWatchersRecordAnswersOnceItKnowsTheWorkload() {
        InstanceRecord running = view(start("i-moved")).record().orElseThrow();
        ActorRef<InstanceActor.Command> moved = kit.spawn(InstanceActor.create("i-moved",
                new InstanceDependencies(runtime, apps, specs, Clock.systemUTC(), changes.ref(), directory,
                        InstanceActivity.NONE)));
        moved.tell(new InstanceActor.RecordObserved(running));
        TestProbe<InstanceActor.Reply> asked = kit.createTestProbe();
        moved.tell(new InstanceActor.Get(asked.ref()));
        moved.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));

        InstanceView view = ((InstanceActor.Done) asked.receiveMessage()).view();
        assertThat(view.health().phase()).isEqualTo(InstanceHealth.Phase.RUNNING);
        assertThat(view.health().ready()).isTrue();
    }

    @Test
    void theHistoryIsToldWhatTheRuntimeDidNotWhatTheStoreDidItself() {
        EntityRef<InstanceActor.Command> instance = start("i-told");
        InstanceRecord started = view(instance).record().orElseThrow();
        runtime.deliver();
        instance.tell(new InstanceActor.RecordObserved(started)); // the watch reports the store's own start
        assertThat(ask(instance, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
        runtime.deliver();
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.FAILED)));
        assertThat(ask(instance, InstanceActor.Resume::new)).isInstanceOf(InstanceActor.Done.class);
        assertThat(activity.told).as("the store's own changes, and a suspended instance's exit").isEmpty();

        // helm upgrade by hand: a newer revision with another version; then a crash loop; then helm uninstall.
        InstanceRecord current = view(instance).record().orElseThrow();
        instance.tell(new InstanceActor.RecordObserved(new InstanceRecord(current.instanceId(), "app-9.0.0", APP, "9.0.0",
                current.ownerId(), current.ownerFullUser(), current.visibility(), false, current.createdAt(), current.releaseState(),
                current.revision() + 1)));
        instance.tell(new InstanceActor.HealthObserved(new InstanceHealth(InstanceHealth.Phase.FAILED, false, 3,
                Optional.of("CrashLoopBackOff"), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Instant.now())));
        instance.tell(new InstanceActor.RecordRemoved());
        instance.tell(new InstanceActor.RecordRemoved());
        assertThat(view(instance).exists()).isFalse();
        assertThat(activity.told).containsExactly("observed i-told 9.0.0", "health i-told FAILED 3", "removed i-told");
    }

    @Test
    void anInstanceNobodyUsesForItsTimeoutSuspendsItselfAndActivityPutsThatOff() {
        EntityRef<InstanceActor.Command> instance = suspendedForIdleness("i-idle");
        assertThat(activity.told).containsExactly("idle-suspended i-idle after 5m");

        // Woken (by a visit): its wait starts again, and what replicas saw of it puts it off.
        assertThat(ask(instance, InstanceActor.Resume::new)).isInstanceOf(InstanceActor.Done.class);
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));
        assertThat(view(instance).suspendedReason()).isEmpty();
        clock.advance(IDLE_TIMEOUT.minusMinutes(1));
        instance.tell(new InstanceActor.ActivitySeen(clock.instant()));
        clock.advance(Duration.ofMinutes(2)); // past the timeout since the resume, not since the last use
        instance.tell(new InstanceActor.CheckIdleness());
        InstanceView used = view(instance);
        assertThat(used.record().orElseThrow().suspended()).isFalse();
        assertThat(used.operation()).isEmpty();

        clock.advance(IDLE_TIMEOUT);
        instance.tell(new InstanceActor.CheckIdleness());
        awaitSuspendedForIdleness(instance);
    }

    @Test
    void aStoreRestartedAfterAnIdleSuspendStillSaysWhy() {
        suspendedForIdleness("i-asleep");

        // Every actor is gone; the new store knows the instance only from what the runtime kept.
        stopTheCluster();
        startACluster();
        EntityRef<InstanceActor.Command> rebuilt = ClusterSharding.get(kit.system()).entityRefFor(InstanceActor.TYPE_KEY,
                "i-asleep");
        assertThat(view(rebuilt).record().orElseThrow().suspended()).isTrue();
        assertThat(view(rebuilt).suspendedReason()).contains(InstanceView.IDLE);

        assertThat(ask(rebuilt, InstanceActor.Resume::new)).isInstanceOf(InstanceActor.Done.class);
        assertThat(ask(rebuilt, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
        assertThat(view(rebuilt).suspendedReason()).as("suspended by hand this time").isEmpty();
        assertThat(runtime.get("i-asleep").orElseThrow().suspendedReason()).isEmpty();
    }

    /** Started, serving, then unused past its timeout: suspended by the store for idleness. */
    private EntityRef<InstanceActor.Command> suspendedForIdleness(String id) {
        EntityRef<InstanceActor.Command> instance = start(id);
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));
        clock.advance(IDLE_TIMEOUT.plusMinutes(1));
        instance.tell(new InstanceActor.CheckIdleness());
        awaitSuspendedForIdleness(instance);
        return instance;
    }

    private void awaitSuspendedForIdleness(EntityRef<InstanceActor.Command> instance) {
        kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            InstanceView idle = view(instance);
            assertThat(idle.record().orElseThrow().suspended()).isTrue();
            assertThat(idle.suspendedReason()).contains(InstanceView.IDLE);
            return null;
        });
    }

    @Test
    void aStartingInstanceIsNotIdleAndAUsersSuspendHasNoIdleReason() {
        EntityRef<InstanceActor.Command> instance = start("i-slow");
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.STARTING)));
        clock.advance(IDLE_TIMEOUT.multipliedBy(3));
        instance.tell(new InstanceActor.CheckIdleness());
        assertThat(view(instance).record().orElseThrow().suspended()).as("still starting").isFalse();
        instance.tell(new InstanceActor.HealthObserved(HeldEventsRuntime.health(InstanceHealth.Phase.RUNNING)));
        instance.tell(new InstanceActor.CheckIdleness());
        assertThat(view(instance).record().orElseThrow().suspended()).as("its wait starts when it serves").isFalse();

        assertThat(ask(instance, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
        assertThat(view(instance).suspendedReason()).isEmpty();
        assertThat(activity.told).isEmpty();
    }

    @Test
    void aReleaseMadeByHandThatARequestFindsBeforeTheWatchIsToldToTheHistoryOnce() {
        InstanceRecord byHand = new InstanceRecord("i-byhand", "app-0.1.0", APP, "0.1.0", "olga@example.com", true,
                Visibility.PRIVATE, false, Instant.now(), InstanceRecord.ReleaseState.DEPLOYED, 1);
        runtime.install(specs.spec(byHand, app("0.1.0"))); // helm install; the watch has not reported it yet
        EntityRef<InstanceActor.Command> instance = ClusterSharding.get(kit.system()).entityRefFor(InstanceActor.TYPE_KEY,
                "i-byhand");
        assertThat(view(instance).exists()).as("a request finds it first").isTrue();
        assertThat(activity.told).containsExactly("observed i-byhand 0.1.0");

        runtime.deliver(); // the watch reports the same release: no news
        assertThat(listed()).contains("i-byhand");
        assertThat(view(instance).exists()).isTrue();
        assertThat(activity.told).containsExactly("observed i-byhand 0.1.0");
    }

    /**
     * The watch's record of a release made by hand wakes an actor, whose health does not follow in time (a busy
     * machine): the actor then looks at the runtime itself and finds the same release, which is no news for the
     * history (the CI check once saw it told twice).
     */
    @Test
    void aReleaseTheWatchToldWhoseHealthCameLateIsToldToTheHistoryOnce() {
        InstanceRecord byHand = new InstanceRecord("i-late", "app-0.1.0", APP, "0.1.0", "olga@example.com", true,
                Visibility.PRIVATE, false, Instant.now(), InstanceRecord.ReleaseState.DEPLOYED, 1);
        runtime.install(specs.spec(byHand, app("0.1.0")));
        RecordedActivity told = new RecordedActivity(); // this actor's alone (the sharded one may be woken too)
        ActorRef<InstanceActor.Command> woken = kit.spawn(InstanceActor.create("i-late",
                new InstanceDependencies(runtime, apps, specs, Clock.systemUTC(), changes.ref(), directory, told)));
        woken.tell(new InstanceActor.RecordObserved(runtime.get("i-late").orElseThrow()));
        TestProbe<InstanceActor.Reply> asked = kit.createTestProbe();
        woken.tell(new InstanceActor.Get(asked.ref())); // answered once the actor looked itself, after 3 s
        assertThat(((InstanceActor.Done) asked.receiveMessage(Duration.ofSeconds(15))).view().exists()).isTrue();
        assertThat(told.told).containsExactly("observed i-late 0.1.0");
    }

    private static InstanceActor.ReportProgress report(String step, String state, long sequence) {
        return new InstanceActor.ReportProgress(new LaunchProgress(step, state, step, List.of(), sequence, Instant.now()));
    }

    private EntityRef<InstanceActor.Command> start(String id) {
        EntityRef<InstanceActor.Command> instance = ClusterSharding.get(kit.system()).entityRefFor(InstanceActor.TYPE_KEY, id);
        assertThat(ask(instance, replyTo -> new InstanceActor.Start(app("0.1.0"), "olga@example.com", true, Visibility.ALL_USERS,
                replyTo))).isInstanceOf(InstanceActor.Done.class);
        return instance;
    }

    private InstanceView view(EntityRef<InstanceActor.Command> instance) {
        return ((InstanceActor.Done) ask(instance, InstanceActor.Get::new)).view();
    }

    private InstanceActor.Reply ask(EntityRef<InstanceActor.Command> instance,
            java.util.function.Function<ActorRef<InstanceActor.Reply>, InstanceActor.Command> command) {
        TestProbe<InstanceActor.Reply> probe = kit.createTestProbe();
        instance.tell(command.apply(probe.ref()));
        return probe.receiveMessage();
    }

    private List<String> listed() {
        TestProbe<ReleaseWatcher.Listing> probe = kit.createTestProbe();
        directory.tell(new ReleaseWatcher.ListInstances(Optional.empty(), Optional.empty(), probe.ref()));
        return probe.receiveMessage().entries().stream().map(e -> e.record().instanceId()).toList();
    }
}
