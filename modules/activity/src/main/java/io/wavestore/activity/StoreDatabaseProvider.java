package io.wavestore.activity;

import com.typesafe.config.Config;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.db.SlickDatabase;
import org.apache.pekko.persistence.jdbc.db.SlickDatabaseProvider;
import scala.Option;
import slick.jdbc.JdbcBackend;
import slick.jdbc.JdbcProfile;
import slick.jdbc.PostgresProfile$;
import slick.util.AsyncExecutor;

/**
 * pekko-persistence-jdbc's database: Slick on the store's own connection pool ({@link JournalDataSource}). One Slick
 * database serves the journal, the snapshots and the read journal; the pool is closed by the store, not by Slick.
 */
public final class StoreDatabaseProvider implements SlickDatabaseProvider {

    /** Slick's threads for the journal: few, the pool is shared with the catalog. */
    private static final int THREADS = 4;
    private static final int QUEUE = 1000;

    private final ActorSystem system;
    private volatile SlickDatabase database;

    public StoreDatabaseProvider(ActorSystem system) {
        this.system = system;
    }

    @Override
    public synchronized SlickDatabase database(Config config) {
        if (database == null) {
            JdbcBackend.JdbcDatabaseDef db = ((JdbcBackend.DatabaseFactoryDef) slick.jdbc.JdbcBackend$.MODULE$.Database())
                    .forDataSource(JournalDataSource.get(Adapter.toTyped(system)).dataSource(), Option.apply(THREADS),
                            AsyncExecutor.apply("activity-journal", THREADS, THREADS, QUEUE, THREADS), false);
            database = new Shared(db, PostgresProfile$.MODULE$);
        }
        return database;
    }

    /** Never shut down by the plugin: the store owns the pool. */
    private record Shared(JdbcBackend.JdbcDatabaseDef database, JdbcProfile profile) implements SlickDatabase {
        @Override
        public boolean allowShutdown() {
            return false;
        }
    }
}
