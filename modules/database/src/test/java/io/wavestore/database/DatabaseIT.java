package io.wavestore.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.ModuleReference;
import io.wavestore.testkit.PostgresServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
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

    /** The database module's own reference.conf, without those of its dependencies. */
    static Config moduleReference() {
        return ConfigFactory.parseURL(ModuleReference.of(Database.class));
    }

    @Test
    void referenceDefaultsAreEmbedded() {
        Config defaults = moduleReference().resolve().getConfig("wavestore.database");
        assertThat(defaults.getString("url")).isEmpty();
        assertThat(defaults.getInt("pool-size")).isEqualTo(10);
        assertThat(defaults.getInt("embedded.port")).isZero();
        assertThat(defaults.getString("embedded.dir")).isEmpty();
        assertThat(defaults.getDuration("connection-timeout")).isEqualTo(java.time.Duration.ofMillis(1500));
    }

    @Test
    void environmentOverridesAreWired() {
        Map<String, String> wiring = Map.of(
                "WAVESTORE_DB_URL", "url",
                "WAVESTORE_DB_USER", "user",
                "WAVESTORE_DB_PASSWORD", "password",
                "WAVESTORE_DB_POOL_SIZE", "pool-size",
                "WAVESTORE_DB_EMBEDDED_PORT", "embedded.port",
                "WAVESTORE_DB_EMBEDDED_DIR", "embedded.dir",
                "WAVESTORE_DB_CONNECTION_TIMEOUT", "connection-timeout",
                "WAVESTORE_DB_EMBEDDED_WATCH_INTERVAL", "embedded.watch-interval",
                "WAVESTORE_DB_EMBEDDED_RESTART_BACKOFF_MIN", "embedded.restart-backoff-min",
                "WAVESTORE_DB_EMBEDDED_RESTART_BACKOFF_MAX", "embedded.restart-backoff-max");
        assertThat(ModuleReference.settingsSetBy(Database.class, "wavestore.database", wiring.keySet())).isEqualTo(wiring);
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
        int closedPort = FreePorts.onLoopback();
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
        int port = FreePorts.onLoopback();
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
    void embeddedDatabaseAsksEveryConnectionForItsPassword() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        int port;
        try (Database database = Database.start(dbConfig(Map.of()), dataDir)) {
            port = one(database, "SHOW port", Integer.class);
            assertThat(one(database, "SHOW password_encryption", String.class)).isEqualTo("scram-sha-256");
        }
        Path secretFile = pgDir.resolve(EmbeddedPassword.FILE_NAME);
        assertThat(Files.getPosixFilePermissions(secretFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String secret = Files.readString(secretFile).strip();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        assertThat(hbaRules(pgDir)).isNotEmpty().allSatisfy(rule -> assertThat(rule).endsWith("scram-sha-256"));

        // Started again: the same password, now asked of every connection, the store's own included.
        try (Database database = Database.start(dbConfig(Map.of("embedded.port", port)), dataDir)) {
            assertThat(Files.readString(secretFile).strip()).isEqualTo(secret);
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/wavestore";
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "not-" + secret).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            try (Connection connection = DriverManager.getConnection(url, "postgres", secret)) {
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThat(database.describe()).doesNotContain(secret);
        }
    }

    @Test
    void trustingDataDirectoryOfAnOlderStoreIsUpgradedInPlace() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        // What an older store left: initdb's trust for everyone, no password, the catalog in it.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(pgDir).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").start();
             Connection admin = old.getPostgresDatabase().getConnection()) {
            admin.createStatement().execute("CREATE DATABASE wavestore");
            org.flywaydb.core.Flyway.configure().dataSource(old.getDatabase("postgres", "wavestore"))
                    .locations("classpath:db/migration").load().migrate();
            try (Connection catalog = old.getDatabase("postgres", "wavestore").getConnection()) {
                catalog.createStatement().execute(
                        "INSERT INTO tags (name, title, color) VALUES ('kept', 'from the old store', '#123456')");
            }
        }
        assertThat(hbaRules(pgDir)).anySatisfy(rule -> assertThat(rule).endsWith("trust"));

        try (Database database = Database.start(dbConfig(Map.of()), dataDir)) {
            assertThat(one(database, "SELECT title FROM tags WHERE name = 'kept'", String.class))
                    .isEqualTo("from the old store");
            int port = one(database, "SHOW port", Integer.class);
            assertThatThrownBy(() -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + port + "/wavestore", "postgres", "").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
        }
        assertThat(hbaRules(pgDir)).isNotEmpty().noneSatisfy(rule -> assertThat(rule).contains("trust"));
        assertThat(Files.getPosixFilePermissions(pgDir.resolve(EmbeddedPassword.FILE_NAME)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    /** pg_hba.conf without comments and blank lines. */
    private static java.util.List<String> hbaRules(Path pgDir) throws IOException {
        return Files.readAllLines(pgDir.resolve("pg_hba.conf")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    @Test
    void embeddedDatabaseIsStartedAgainWhenItsPostmasterIsKilled() throws Exception {
        Config config = dbConfig(Map.of("embedded.watch-interval", "200ms", "embedded.restart-backoff-min", "200ms",
                "embedded.restart-backoff-max", "2s", "connection-timeout", "1s"));
        try (Database database = Database.start(config, dataDir)) {
            database.jdbi().useHandle(handle -> {
                handle.execute("CREATE TABLE committed (id int PRIMARY KEY)");
                handle.execute("INSERT INTO committed VALUES (1)");
            });
            ProcessHandle postmaster = postmaster(dataDir.resolve("postgres"));
            postmaster.destroyForcibly();
            postmaster.onExit().get(30, TimeUnit.SECONDS);

            // Asked right after: a connection error within the pool's timeout, never a hang. (Seeing the postmaster
            // exit can take the JDK a while for a process that is not its child; by then the store may have
            // started it again, and the answer is simply right.)
            long asked = System.nanoTime();
            try {
                assertThat(one(database, "SELECT count(*) FROM committed", Integer.class)).isEqualTo(1);
            } catch (org.jdbi.v3.core.ConnectionException e) {
                assertThat(e).hasCauseInstanceOf(java.sql.SQLTransientConnectionException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofSeconds(5));

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(one(database, "SELECT count(*) FROM committed", Integer.class))
                            .isEqualTo(1));
            assertThat(postmaster(dataDir.resolve("postgres")).pid()).isNotEqualTo(postmaster.pid());
            database.jdbi().useHandle(handle -> handle.execute("INSERT INTO committed VALUES (2)"));
        }
    }

    private static ProcessHandle postmaster(Path pgDir) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(pgDir.resolve("postmaster.pid")).get(0).strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    @Test
    void closeTwiceIsFine() {
        PostgresServer server = PostgresServer.shared();
        Database database = Database.start(external(server.createDatabase(), server.user(), server.password()), dataDir);
        database.close();
        database.close();
    }
}
