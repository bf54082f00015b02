package io.wavestore.activity;

import java.time.Clock;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.jdbi.v3.core.Jdbi;

/**
 * The activity history on this replica: the sharded entities that write it, the projection that makes it queryable,
 * the retention that ends it, and the recorder everyone else hands facts to.
 *
 * @param recorder where everyone else hands facts to
 * @param dao      reads the queryable history the projection writes
 * @param settings the module's settings, as read when it started
 */
public record ActivityHistory(ActivityRecorder recorder, ActivityDao dao, ActivitySettings settings) {

    public static final String BLOCKING_DISPATCHER = "wavestore.activity.blocking-dispatcher";

    /** Starts it on this replica, on the store's database (already migrated). */
    public static ActivityHistory start(ActorSystem<?> system, DataSource dataSource, Jdbi jdbi, Clock clock) {
        ActivitySettings settings = ActivitySettings.from(system.settings().config());
        JournalDataSource.get(system).use(dataSource);
        ActivityDao dao = new ActivityDao(jdbi);
        ActivityEntity.init(system, settings);
        ActivityProjection.init(system, dao, settings);
        ActivityRetention.init(system, dao, settings, clock);
        ActivityRecorder recorder = new ActivityRecorder(system, settings, clock);
        ActivityLog.get(system).install(recorder);
        return new ActivityHistory(recorder, dao, settings);
    }
}
