package io.wavestore.catalog.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.wavestore.testkit.PostgresServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseIT {

    @TempDir
    Path dataDir;

    private static Config dbConfig(Map<String, ?> settings) {
        Map<String, Object> prefixed = new HashMap<>();
        settings.forEach((key, value) -> prefixed.put("wavestore.database." + key, value));
        return ConfigFactory.parseMap(prefixed)
                .withFallback(ConfigFactory.defaultReference())
                .resolve()
                .getConfig("wavestore.database");
    }

    private static Config external(String url, String user, String password) {
        return dbConfig(Map.of("url", url, "user", user, "password", password));
    }

    private static boolean tableExists(Database database, String table) {
        return database.jdbi().withHandle(handle -> handle
                .createQuery("SELECT to_regclass(:name) IS NOT NULL")
                .bind("name", "public." + table)
                .mapTo(Boolean.class)
                .one());
    }

    private static <T> T one(Database database, String sql, Class<T> type) {
        return database.jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(type).one());
    }

    /** The catalog module's own reference.conf, without those of its dependencies. */
    static Config catalogReference() {
        String module = Database.class.getProtectionDomain().getCodeSource().getLocation().toString();
        try {
            for (URL url : Collections.list(Database.class.getClassLoader().getResources("reference.conf"))) {
                if (url.toString().contains(module)) {
                    return ConfigFactory.parseURL(url);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("No reference.conf in " + module);
    }

    @Test
    void referenceDefaultsAreEmbedded() {
        Config defaults = catalogReference().resolve().getConfig("wavestore.database");
        assertThat(defaults.getString("url")).isEmpty();
        assertThat(defaults.getInt("pool-size")).isEqualTo(10);
        assertThat(defaults.getInt("embedded.port")).isZero();
        assertThat(defaults.getString("embedded.dir")).isEmpty();
    }

    @Test
    void environmentOverridesAreWired() {
        Config withEnv = catalogReference()
                .withFallback(ConfigFactory.parseMap(Map.of(
                        "WAVESTORE_DB_URL", "jdbc:postgresql://db:5432/wavestore",
                        "WAVESTORE_DB_USER", "store",
                        "WAVESTORE_DB_PASSWORD", "pw",
                        "WAVESTORE_DB_POOL_SIZE", "7",
                        "WAVESTORE_DB_EMBEDDED_PORT", "15432",
                        "WAVESTORE_DB_EMBEDDED_DIR", "/data/pg")))
                .resolve()
                .getConfig("wavestore.database");
        assertThat(withEnv.getString("url")).isEqualTo("jdbc:postgresql://db:5432/wavestore");
        assertThat(withEnv.getString("user")).isEqualTo("store");
        assertThat(withEnv.getString("password")).isEqualTo("pw");
        assertThat(withEnv.getInt("pool-size")).isEqualTo(7);
        assertThat(withEnv.getInt("embedded.port")).isEqualTo(15432);
        assertThat(withEnv.getString("embedded.dir")).isEqualTo("/data/pg");
    }

    @Test
    void externalDatabaseIsMigratedAndUsable() throws SQLException {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase();
        try (Database database = Database.start(external(url, server.user(), server.password()), dataDir)) {
            assertThat(tableExists(database, "flyway_schema_history")).isTrue();
            int applied = one(database, "SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class);
            assertThat(applied).isPositive();
            assertThat(one(database, "SELECT 1", Integer.class))
                    .isEqualTo(1);
            try (Connection connection = database.dataSource().getConnection()) {
                assertThat(connection.getMetaData().getURL()).isEqualTo(url);
            }
            assertThat(database.describe()).contains(url).contains(server.user())
                    .doesNotContain(server.password());
        }
    }

    @Test
    void secondStartOnAMigratedDatabaseChangesNothing() {
        PostgresServer server = PostgresServer.shared();
        Config config = external(server.createDatabase(), server.user(), server.password());
        int first;
        try (Database database = Database.start(config, dataDir)) {
            first = one(database, "SELECT count(*) FROM flyway_schema_history", Integer.class);
        }
        try (Database database = Database.start(config, dataDir)) {
            assertThat(one(database, "SELECT count(*) FROM flyway_schema_history", Integer.class)).isEqualTo(first);
        }
    }

    @Test
    void wrongPasswordIsAClearErrorWithoutThePassword() {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase();
        assertThatThrownBy(() -> Database.start(external(url, server.user(), "wrong-password-123"), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(url)
                .hasMessageContaining(server.user())
                .hasMessageContaining("password authentication failed")
                .hasMessageContaining("wavestore.database.url")
                .hasMessageNotContaining("wrong-password-123");
    }

    @Test
    void passwordInTheUrlIsNeverShown() {
        PostgresServer server = PostgresServer.shared();
        String url = server.createDatabase() + "?password=url-secret-456&sslmode=disable";
        assertThatThrownBy(() -> Database.start(external(url, "nobody", ""), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("password=***")
                .hasMessageNotContaining("url-secret-456");
        assertThat(Database.redact("jdbc:postgresql://h/db?user=a&password=s3cr3t&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&ssl=true");
    }

    @Test
    void unreachableServerIsAClearError() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/wavestore";
        assertThatThrownBy(() -> Database.start(external(url, "store", "pw"), dataDir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Cannot connect to PostgreSQL at " + url)
                .hasMessageContaining("wavestore.database.url");
    }

    @Test
    void notAPostgresUrlIsAConfigError() {
        assertThatThrownBy(() -> Database.start(external("jdbc:mysql://db/x", "u", "p"), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wavestore.database.url");
        assertThatThrownBy(() -> Database.start(dbConfig(Map.of("url", "jdbc:postgresql://db/x", "pool-size", 0)), dataDir))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("wavestore.database.pool-size");
    }

    @Test
    void embeddedDatabaseKeepsItsDataAcrossRestarts() {
        Config embedded = dbConfig(Map.of());
        int firstPort;
        try (Database database = Database.start(embedded, dataDir)) {
            assertThat(database.describe()).contains("embedded").contains(dataDir.resolve("postgres").toString());
            assertThat(tableExists(database, "flyway_schema_history")).isTrue();
            database.jdbi().useHandle(handle -> {
                handle.execute("CREATE TABLE kept (id int PRIMARY KEY, note text NOT NULL)");
                handle.execute("INSERT INTO kept VALUES (1, 'survives a restart')");
            });
            // Durable, and reachable on loopback only.
            assertThat(one(database, "SHOW fsync", String.class))
                    .isEqualTo("on");
            assertThat(one(database, "SHOW listen_addresses", String.class))
                    .isEqualTo("127.0.0.1");
            firstPort = one(database, "SHOW port", Integer.class);
        }
        assertThat(dataDir.resolve("postgres/PG_VERSION")).exists();

        try (Database database = Database.start(embedded, dataDir)) {
            assertThat(one(database, "SELECT note FROM kept WHERE id = 1", String.class)).isEqualTo("survives a restart");
            assertThat(firstPort).isPositive();
        }
    }

    @Test
    void embeddedDirAndPortComeFromConfig(@TempDir Path pgDir) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Config config = dbConfig(Map.of("embedded.dir", pgDir.toString(), "embedded.port", port, "pool-size", 2));
        try (Database database = Database.start(config, dataDir)) {
            assertThat(database.describe()).contains("127.0.0.1:" + port).contains(pgDir.toString());
            assertThat(one(database, "SHOW port", Integer.class))
                    .isEqualTo(port);
        }
        assertThat(pgDir.resolve("PG_VERSION")).exists();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void embeddedDatabaseStartsAfterTheStoreWasKilled() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process store = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EmbeddedStoreProcess.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null && !line.equals("ready")) {
                    // skip the child's log
                }
                assertThat(line).as("the child store started its database").isEqualTo("ready");
                // kill -9: no shutdown hook runs, and the postmaster it started is left running.
                store.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }

            try (Database database = Database.start(dbConfig(Map.of()), dataDir)) {
                assertThat(tableExists(database, "crashed")).isTrue();
            }
        } finally {
            store.destroyForcibly();
            // Never leave a postmaster behind, even when the test fails.
            EmbeddedOrphans.stopOrphanedPostmaster(dataDir.resolve("postgres").toFile());
        }
    }

    @Test
    void closeTwiceIsFine() {
        PostgresServer server = PostgresServer.shared();
        Database database = Database.start(external(server.createDatabase(), server.user(), server.password()), dataDir);
        database.close();
        database.close();
    }
}
