package io.wavestore.activity;

import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Hands the store's connection pool to pekko-persistence-jdbc, which creates its database provider by class name: the
 * journal shares the pool (and the embedded PostgreSQL's password) instead of opening one of its own.
 */
public final class JournalDataSource implements Extension {

    private static final Id ID = new Id();

    private final AtomicReference<DataSource> dataSource = new AtomicReference<>();

    public static JournalDataSource get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Must be called before the first persistent entity starts. */
    public void use(DataSource source) {
        dataSource.set(source);
    }

    DataSource dataSource() {
        DataSource source = dataSource.get();
        if (source == null) {
            throw new IllegalStateException("the activity history's journal has no database yet: "
                    + "JournalDataSource.use(...) must come before the history starts");
        }
        return source;
    }

    private static final class Id extends ExtensionId<JournalDataSource> {
        @Override
        public JournalDataSource createExtension(ActorSystem<?> system) {
            return new JournalDataSource();
        }
    }
}
