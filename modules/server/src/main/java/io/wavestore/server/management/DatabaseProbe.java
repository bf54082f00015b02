package io.wavestore.server.management;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers whether the database answers a trivial query within a timeout. JDBC blocks, so the query runs on the
 * given executor; a database that hangs holds at most one thread, because probes asked for while one is still
 * running wait for that one instead of starting another.
 */
public final class DatabaseProbe {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseProbe.class);

    private final DataSource dataSource;
    private final Duration timeout;
    private final Executor blocking;
    private final AtomicReference<CompletableFuture<Boolean>> running = new AtomicReference<>();

    public DatabaseProbe(DataSource dataSource, Duration timeout, Executor blocking) {
        this.dataSource = dataSource;
        this.timeout = timeout;
        this.blocking = blocking;
    }

    /** True when the database answered in time; false when it failed, or did not answer within the timeout. */
    public CompletionStage<Boolean> answers() {
        CompletableFuture<Boolean> query = new CompletableFuture<>();
        CompletableFuture<Boolean> current = running.compareAndExchange(null, query);
        if (current == null) {
            current = query;
            blocking.execute(() -> {
                boolean ok = query();
                running.set(null);
                query.complete(ok);
            });
        }
        return current.copy().completeOnTimeout(false, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean query() {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("readiness: the database does not answer: {}", e.getMessage());
            return false;
        }
    }
}
