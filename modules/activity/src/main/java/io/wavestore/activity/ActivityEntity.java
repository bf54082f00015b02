package io.wavestore.activity;

import io.wavestore.scheduler.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The history of one subject (an instance, an app, a tag...), sharded over the cluster like the instance actors, so
 * any replica records. Each fact becomes one event in the journal; a fact whose id it has already written (a retry
 * after a lost answer, or after the replica that asked died) is acknowledged and not written again.
 */
public final class ActivityEntity extends EventSourcedBehavior<ActivityEntity.Command, ActivityEntity.Recorded,
        ActivityEntity.State> {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Activity");
    /** Every event carries it: the projection reads the journal by it. */
    public static final String TAG = "activity";
    /** How many fact ids an entity remembers to refuse duplicates: far more than retries can be in flight at once. */
    static final int REMEMBERED_IDS = 256;

    public sealed interface Command extends CborSerializable {
    }

    /** Write this fact unless it was written already. */
    public record Record(ActivityFact fact, ActorRef<Done> replyTo) implements Command {
    }

    /** Write what this observation tells, if it is news (instances only). */
    public record Observe(InstanceObservation observation, ActorRef<Done> replyTo) implements Command {
    }

    /** The one event: a fact happened. */
    public record Recorded(ActivityFact fact) implements CborSerializable {
    }

    public record State(List<String> recentIds, InstanceKnowledge instance) implements CborSerializable {

        public State {
            recentIds = List.copyOf(recentIds);
        }

        State after(ActivityFact fact) {
            List<String> ids = new ArrayList<>(recentIds);
            ids.add(fact.id());
            if (ids.size() > REMEMBERED_IDS) {
                ids.subList(0, ids.size() - REMEMBERED_IDS).clear();
            }
            boolean isInstance = fact.subject().type() == Subject.Type.INSTANCE;
            return new State(ids, isInstance ? instance.after(fact) : instance);
        }
    }

    /** Starts sharding of histories on this node. */
    public static void init(ActorSystem<?> system, ActivitySettings settings) {
        ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                entity -> create(entity.getEntityId(), settings)));
    }

    public static Behavior<Command> create(String entityId, ActivitySettings settings) {
        return new ActivityEntity(entityId, settings);
    }

    private final ActivitySettings settings;

    private ActivityEntity(String entityId, ActivitySettings settings) {
        super(PersistenceId.of(TYPE_KEY.name(), entityId),
                // The journal is down: start again later; meanwhile the recorder's asks time out and are retried.
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), settings.retryMaxBackoff(), 0.2));
        this.settings = settings;
    }

    @Override
    public State emptyState() {
        return new State(List.of(), InstanceKnowledge.NONE);
    }

    @Override
    public CommandHandler<Command, Recorded, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Record.class, (state, record) -> write(state, Optional.of(record.fact()), record.replyTo()))
                .onCommand(Observe.class, (state, observe) -> state.recentIds().contains(observe.observation().id())
                        ? write(state, Optional.empty(), observe.replyTo())
                        : write(state, ObservationRules.factOf(observe.observation(), state.instance()), observe.replyTo()))
                .build();
    }

    private org.apache.pekko.persistence.typed.javadsl.Effect<Recorded, State> write(State state, Optional<ActivityFact> fact,
            ActorRef<Done> replyTo) {
        if (fact.isEmpty() || state.recentIds().contains(fact.get().id())) {
            return Effect().reply(replyTo, Done.getInstance());
        }
        ActivityFact f = fact.get();
        ActivityFact stamped = f.subject().type() == Subject.Type.INSTANCE
                ? f.withRunning(state.instance().after(f).running()) : f;
        return Effect().persist(new Recorded(stamped)).thenReply(replyTo, after -> Done.getInstance());
    }

    @Override
    public EventHandler<State, Recorded> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Recorded.class, (state, event) -> state.after(event.fact()))
                .build();
    }

    @Override
    public Set<String> tagsFor(Recorded event) {
        return Set.of(TAG);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        // A long history recovers from its latest snapshot; events are kept (they are the history), old snapshots not.
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }
}
