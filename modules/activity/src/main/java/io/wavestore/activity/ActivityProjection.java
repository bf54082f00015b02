package io.wavestore.activity;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the activity table up to date from the journal: on one replica at a time (a cluster singleton), it follows
 * the journal's events by tag from the offset kept in PostgreSQL, and writes each batch with the new offset in one
 * transaction. A replayed event (a crash between the write and the offset) is skipped by the table's key, so the
 * table holds every event exactly once. pekko-projection-jdbc would do the same; its 1.1 release does not resolve
 * with this store's Pekko.
 */
public final class ActivityProjection {

    public static final String NAME = "activity";
    private static final Logger LOG = LoggerFactory.getLogger(ActivityProjection.class);

    private ActivityProjection() {
    }

    public static void init(ActorSystem<?> system, ActivityDao dao, ActivitySettings settings) {
        ClusterSingleton.get(system).init(SingletonActor.of(create(dao, settings), "activity-projection"));
    }

    static Behavior<Void> create(ActivityDao dao, ActivitySettings settings) {
        return Behaviors.setup(context -> {
            ActorSystem<?> system = context.getSystem();
            Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(ActivityHistory.BLOCKING_DISPATCHER));
            JdbcReadJournal journal = PersistenceQuery.get(system)
                    .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            RestartSettings restart = RestartSettings.create(Duration.ofMillis(500), Duration.ofSeconds(30), 0.2);
            UniqueKillSwitch running = RestartSource.withBackoff(restart, () -> follow(journal, dao, settings, blocking))
                    .viaMat(KillSwitches.single(), Keep.right())
                    .toMat(Sink.ignore(), Keep.left())
                    .run(system);
            LOG.info("activity projection started on this replica");
            return Behaviors.receive(Void.class)
                    .onSignal(PostStop.class, stop -> {
                        running.shutdown();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** From the stored offset on: read, write in batches, and go on (restarted from the stored offset on failure). */
    private static Source<Done, NotUsed> follow(JdbcReadJournal journal, ActivityDao dao, ActivitySettings settings,
            Executor blocking) {
        return Source.completionStage(CompletableFuture.supplyAsync(() -> dao.offset(NAME), blocking))
                .flatMapConcat(offset -> journal.eventsByTag(ActivityEntity.TAG, Offset.sequence(offset)))
                .groupedWithin(settings.projectionBatch(), Duration.ofMillis(100))
                .mapAsync(1, batch -> CompletableFuture.supplyAsync(() -> {
                    List<ActivityDao.JournalRow> rows = batch.stream().map(ActivityProjection::toRow).toList();
                    long last = ((Sequence) batch.get(batch.size() - 1).offset()).value();
                    dao.write(NAME, rows, last);
                    return Done.getInstance();
                }, blocking))
                .mapMaterializedValue(m -> NotUsed.getInstance());
    }

    private static ActivityDao.JournalRow toRow(EventEnvelope envelope) {
        ActivityFact f = ((ActivityEntity.Recorded) envelope.event()).fact();
        long offset = ((Sequence) envelope.offset()).value();
        ActivityRow row = new ActivityRow(offset, f.id(), f.at(), f.kind().name(), f.actor().type().name(), f.actor().id(),
                f.subject().type().name(), f.subject().id(), f.instanceId(), f.appName(), f.appVersion(), f.ownerId(),
                f.running(), f.details());
        return new ActivityDao.JournalRow(envelope.persistenceId(), envelope.sequenceNr(), row);
    }
}
