package io.wavestore.activity;

import io.wavestore.scheduler.InstanceActivity;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the store hands over what happened: the one port of the activity history for the routes and (as
 * {@link InstanceActivity}) for the instance actors. Recording returns at once and never fails the caller: the fact is
 * sent to its subject's entity and retried with backoff while the journal or the entity's replica is away (the entity
 * writes a fact once, however often it is sent). A fact still not written after every attempt is logged and dropped.
 */
public final class ActivityRecorder implements InstanceActivity {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityRecorder.class);

    private final ActorSystem<?> system;
    private final ActivitySettings settings;
    private final Clock clock;

    public ActivityRecorder(ActorSystem<?> system, ActivitySettings settings, Clock clock) {
        this.system = system;
        this.settings = settings;
        this.clock = clock;
    }

    /** Records {@code fact}; the answer completes once it is in the journal (or is given up), for tests and tools. */
    public CompletionStage<Done> record(ActivityFact fact) {
        return send(fact.subject(), fact.id(), replyTo -> new ActivityEntity.Record(fact, replyTo));
    }

    /** The time facts are stamped with. */
    public Clock clock() {
        return clock;
    }

    @Override
    public void releaseObserved(InstanceRecord record) {
        observe(record, InstanceObservation.Type.PRESENT, 0, null, null);
    }

    @Override
    public void releaseRemoved(InstanceRecord last) {
        observe(last, InstanceObservation.Type.REMOVED, 0, null, null);
    }

    @Override
    public void healthObserved(InstanceRecord record, InstanceHealth health) {
        String failure = health.phase() == InstanceHealth.Phase.FAILED ? health.reason().orElse("Failed") : null;
        observe(record, InstanceObservation.Type.HEALTH, health.restarts(), failure, health.message().orElse(null));
    }

    /** Recorded like a user's suspend, by "the store", with the reason: {@code reason=idle}, {@code idle_for}. */
    @Override
    public void suspendedForIdleness(InstanceRecord r, Duration idleFor) {
        record(ActivityFact.ofInstance(clock.instant(), ActivityKind.INSTANCE_SUSPENDED, Actor.STORE, r.instanceId(),
                r.appName(), r.appVersion(), r.ownerId(), java.util.Map.of("reason", "idle",
                        "idle_for", io.wavestore.bundle.DurationFormat.format(idleFor))));
    }

    /** Recorded as a resume by the visitor whose request woke it, with {@code reason=visit}. */
    @Override
    public void wokenByVisit(InstanceRecord r, String visitorId) {
        record(ActivityFact.ofInstance(clock.instant(), ActivityKind.INSTANCE_RESUMED, Actor.user(visitorId), r.instanceId(),
                r.appName(), r.appVersion(), r.ownerId(), java.util.Map.of("reason", "visit")));
    }

    @Override
    public void cleanedUp(InstanceRecord last, String why) {
        observe(last, InstanceObservation.Type.CLEANED_UP, 0, "RemovedByStore", why);
    }

    private void observe(InstanceRecord r, InstanceObservation.Type type, int restarts, String failure, String message) {
        InstanceObservation observation = new InstanceObservation(UUID.randomUUID().toString(), clock.instant(), type,
                r.instanceId(), r.appName(), r.appVersion(), r.ownerId(), r.suspended(), r.visibility().name(), restarts,
                failure, message);
        send(Subject.instance(r.instanceId()), observation.id(), replyTo -> new ActivityEntity.Observe(observation, replyTo));
    }

    private CompletionStage<Done> send(Subject subject, String factId,
            Function<ActorRef<Done>, ActivityEntity.Command> command) {
        var entity = ClusterSharding.get(system).entityRefFor(ActivityEntity.TYPE_KEY, subject.entityId());
        AtomicInteger attempt = new AtomicInteger();
        CompletionStage<Done> written = Patterns.retry(() -> {
            if (attempt.incrementAndGet() == 2) {
                LOG.warn("activity {} of {}: not written yet (journal or replica away); retrying in the background",
                        factId, subject.entityId());
            }
            return entity.ask(command::apply, settings.askTimeout());
        }, settings.retryAttempts(), Duration.ofMillis(200), settings.retryMaxBackoff(), 0.2, system);
        return written.whenComplete((done, error) -> {
            if (error != null) {
                LOG.error("activity {} of {}: given up after {} attempts: {}", factId, subject.entityId(),
                        settings.retryAttempts(), error.toString());
            } else if (attempt.get() > 1) {
                LOG.info("activity {} of {}: written after {} attempts", factId, subject.entityId(), attempt.get());
            }
        });
    }
}
