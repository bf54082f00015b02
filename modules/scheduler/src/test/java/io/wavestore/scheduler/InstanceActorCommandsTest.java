package io.wavestore.scheduler;

import static io.wavestore.scheduler.TestInstances.app;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One {@link InstanceActor} by itself (no cluster, no sharding), one command at a time: what it answers for the state
 * its instance is in, that a command sent while a change runs waits for that change, and that a runtime it could not
 * read is asked again while the requests wait.
 */
class InstanceActorCommandsTest {

    private static final String ID = "i-commands";

    private final ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseMap(Map.of(
                    // A busy machine (load 45 on two cores) took more than the default 3 s to answer a start.
                    "pekko.actor.testkit.typed.single-expect-default", "30s",
                    "wavestore.scheduler.instance-actor.load-retry-delay", "50ms"))
            .withFallback(ConfigFactory.load()));
    private final HeldEventsRuntime runtime = new HeldEventsRuntime();
    /** Only version 0.1.0 of the app exists. */
    private final AppLookup apps = (name, version) -> version.equals("0.1.0") ? Optional.of(app(version)) : Optional.empty();
    private final TestProbe<Topic.Command<InstanceChanges.InstanceChanged>> changes = kit.createTestProbe();
    private final TestProbe<ReleaseWatcher.Command> directory = kit.createTestProbe();
    private final ActorRef<InstanceActor.Command> instance = kit.spawn(InstanceActor.create(ID, new InstanceDependencies(
            runtime, apps, TestInstances.specs(TestInstances.settings()), Clock.systemUTC(), changes.ref(), directory.ref(),
            InstanceActivity.NONE)));

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void startCreatesTheInstanceOnceAndASecondStartIsAConflict() {
        InstanceView started = done(ask(this::start));
        assertThat(started.record()).map(InstanceRecord::appVersion).contains("0.1.0");
        assertThat(runtime.get(ID)).as("the runtime holds it").isPresent();

        assertThat(rejected(ask(this::start))).isEqualTo(InstanceActor.Problem.CONFLICT);
    }

    @Test
    void everyChangeOfAnInstanceThatDoesNotExistIsNotFound() {
        assertThat(rejected(ask(InstanceActor.Suspend::new))).isEqualTo(InstanceActor.Problem.NOT_FOUND);
        assertThat(rejected(ask(InstanceActor.Resume::new))).isEqualTo(InstanceActor.Problem.NOT_FOUND);
        assertThat(rejected(ask(r -> new InstanceActor.Update("0.1.0", r)))).isEqualTo(InstanceActor.Problem.NOT_FOUND);
        assertThat(rejected(ask(r -> new InstanceActor.ChangeVisibility(Visibility.PUBLIC, r))))
                .isEqualTo(InstanceActor.Problem.NOT_FOUND);
        assertThat(rejected(ask(InstanceActor.Terminate::new))).isEqualTo(InstanceActor.Problem.NOT_FOUND);
        assertThat(done(ask(InstanceActor.Get::new)).exists()).as("a Get answers, with nothing").isFalse();
    }

    @Test
    void suspendAndResumeAreConflictsInTheStateTheyWouldLeave() {
        done(ask(this::start));
        assertThat(rejected(ask(InstanceActor.Resume::new))).as("resume of a running instance")
                .isEqualTo(InstanceActor.Problem.CONFLICT);

        assertThat(done(ask(InstanceActor.Suspend::new)).record()).map(InstanceRecord::suspended).contains(true);
        assertThat(rejected(ask(InstanceActor.Suspend::new))).as("suspend of a suspended instance")
                .isEqualTo(InstanceActor.Problem.CONFLICT);

        assertThat(done(ask(InstanceActor.Resume::new)).record()).map(InstanceRecord::suspended).contains(false);
    }

    @Test
    void updateToTheVersionItRunsIsAConflictAndToAMissingVersionAppNotFound() {
        done(ask(this::start));
        assertThat(rejected(ask(r -> new InstanceActor.Update("0.1.0", r)))).isEqualTo(InstanceActor.Problem.CONFLICT);
        assertThat(rejected(ask(r -> new InstanceActor.Update("9.9.9", r)))).isEqualTo(InstanceActor.Problem.APP_NOT_FOUND);
        assertThat(runtime.get(ID)).map(InstanceRecord::appVersion).as("left as it was").contains("0.1.0");
    }

    @Test
    void terminateRemovesTheInstanceAndTellsTheDirectory() {
        done(ask(this::start));
        directory.receiveMessage(); // the start's InstanceApplied

        assertThat(done(ask(InstanceActor.Terminate::new)).exists()).isFalse();
        assertThat(runtime.get(ID)).isEmpty();
        assertThat(directory.expectMessageClass(ReleaseWatcher.InstanceGone.class).last().instanceId()).isEqualTo(ID);
        assertThat(rejected(ask(InstanceActor.Terminate::new))).isEqualTo(InstanceActor.Problem.NOT_FOUND);
    }

    @Test
    void aCommandSentWhileAChangeRunsWaitsForItsEnd() {
        done(ask(this::start));
        runtime.holdChanges();
        TestProbe<InstanceActor.Reply> suspended = kit.createTestProbe();
        instance.tell(new InstanceActor.Suspend(suspended.ref()));
        runtime.awaitChangeUnderWay();

        assertThat(done(ask(InstanceActor.Get::new)).operation()).as("a Get answers at once, naming the change")
                .contains("suspend");
        // Sent while the instance is not suspended yet: run now, it would be a conflict.
        TestProbe<InstanceActor.Reply> resumed = kit.createTestProbe();
        instance.tell(new InstanceActor.Resume(resumed.ref()));
        runtime.letChangesFinish();

        assertThat(done(suspended.receiveMessage()).record()).map(InstanceRecord::suspended).contains(true);
        assertThat(done(resumed.receiveMessage()).record()).map(InstanceRecord::suspended).contains(false);
    }

    @Test
    void aRuntimeThatCannotBeReadIsAskedAgainWhileRequestsWait() {
        runtime.failReads(2);

        InstanceView view = done(ask(InstanceActor.Get::new));

        assertThat(view.exists()).isFalse();
        assertThat(runtime.reads()).as("two failed reads, then one that answered").isEqualTo(3);
    }

    private InstanceActor.Command start(ActorRef<InstanceActor.Reply> replyTo) {
        return new InstanceActor.Start(app("0.1.0"), "olga@example.com", true, Visibility.ALL_USERS, replyTo);
    }

    private InstanceActor.Reply ask(Function<ActorRef<InstanceActor.Reply>, InstanceActor.Command> command) {
        TestProbe<InstanceActor.Reply> probe = kit.createTestProbe();
        instance.tell(command.apply(probe.ref()));
        return probe.receiveMessage();
    }

    private static InstanceView done(InstanceActor.Reply reply) {
        assertThat(reply).isInstanceOf(InstanceActor.Done.class);
        return ((InstanceActor.Done) reply).view();
    }

    private static InstanceActor.Problem rejected(InstanceActor.Reply reply) {
        assertThat(reply).isInstanceOf(InstanceActor.Rejected.class);
        return ((InstanceActor.Rejected) reply).problem();
    }
}
