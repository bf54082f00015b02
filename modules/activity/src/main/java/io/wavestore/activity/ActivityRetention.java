package io.wavestore.activity;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the history older than {@code wavestore.activity.retention}: its events, their snapshots and their rows, on
 * one replica at a time, every {@code retention-check}.
 */
public final class ActivityRetention {

    private static final Logger LOG = LoggerFactory.getLogger(ActivityRetention.class);

    private enum Tick { INSTANCE }

    private ActivityRetention() {
    }

    public static void init(ActorSystem<?> system, ActivityDao dao, ActivitySettings settings, Clock clock) {
        ClusterSingleton.get(system).init(SingletonActor.of(create(dao, settings, clock), "activity-retention"));
    }

    static Behavior<Tick> create(ActivityDao dao, ActivitySettings settings, Clock clock) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            Executor blocking = context.getSystem().dispatchers()
                    .lookup(DispatcherSelector.fromConfig(ActivityHistory.BLOCKING_DISPATCHER));
            timers.startTimerWithFixedDelay(Tick.INSTANCE, java.time.Duration.ZERO, settings.retentionCheck());
            return Behaviors.receive(Tick.class)
                    .onMessageEquals(Tick.INSTANCE, () -> {
                        CompletableFuture.supplyAsync(() -> dao.deleteBefore(clock.instant().minus(settings.retention())),
                                blocking).whenComplete((deleted, error) -> {
                                    if (error != null) {
                                        LOG.warn("activity retention failed (tried again in {}): {}",
                                                settings.retentionCheck(), error.toString());
                                    } else if (deleted > 0) {
                                        LOG.info("activity retention deleted {} events older than {}", deleted,
                                                settings.retention());
                                    }
                                });
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
