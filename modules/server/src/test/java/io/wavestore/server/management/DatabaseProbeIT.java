package io.wavestore.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.wavestore.database.Database;
import io.wavestore.testkit.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readiness check's view of the database, against a real PostgreSQL that is then stopped. */
class DatabaseProbeIT {

    @TempDir
    Path dataDir;

    @Test
    void aStoppedDatabaseMakesTheReplicaNotReady() throws Exception {
        ExecutorService blocking = Executors.newSingleThreadExecutor();
        PostgresServer server = PostgresServer.start();
        try (Database database = Database.start(ConfigFactory.parseMap(Map.of(
                        "url", server.createDatabase(), "user", server.user(), "password", server.password()))
                .withFallback(ConfigFactory.load().getConfig(Database.CONFIG_PATH)), dataDir)) {
            DatabaseProbe probe = new DatabaseProbe(database.dataSource(), Duration.ofSeconds(2), blocking);
            assertThat(probe.answers().toCompletableFuture().get(30, TimeUnit.SECONDS)).isTrue();

            server.close();

            assertThat(probe.answers().toCompletableFuture().get(30, TimeUnit.SECONDS)).isFalse();
            // And stays so while the pool is still trying to connect.
            assertThat(probe.answers().toCompletableFuture().get(30, TimeUnit.SECONDS)).isFalse();
        } finally {
            server.close();
            blocking.shutdownNow();
        }
    }
}
