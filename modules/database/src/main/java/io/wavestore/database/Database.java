package io.wavestore.database;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's PostgreSQL: a connection pool, JDBI on top of it, and the schema migrated by
 * Flyway from {@code classpath:db/migration} at every start. Every migration of every module lives in this
 * module's {@code db/migration}, one folder; each module keeps the DAOs of its own tables.
 *
 * <p>With {@code wavestore.database.url} set it connects to that server. With it empty it starts
 * an embedded PostgreSQL on 127.0.0.1 whose data directory persists across restarts, restarts it
 * when it dies ({@link EmbeddedServer}), and stops it on {@link #close()}.
 *
 * <p>The pool never holds on to dead connections: it validates them before lending and while idle,
 * and it reconnects by itself when the database comes back.
 */
public final class Database implements AutoCloseable {

    /** Where {@code dbConfig} sits in the full configuration; used in error messages. */
    public static final String CONFIG_PATH = "wavestore.database";

    private static final Logger log = LoggerFactory.getLogger(Database.class);
    private static final String EMBEDDED_DATABASE = "wavestore";
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    private final EmbeddedServer embedded;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final String description;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Database(EmbeddedServer embedded, HikariDataSource dataSource, String description) {
        this.embedded = embedded;
        this.dataSource = dataSource;
        this.description = description;
        this.jdbi = Jdbi.create(dataSource)
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin());
    }

    /**
     * Connects (starting the embedded server first if no URL is configured), migrates, and
     * returns the ready database.
     *
     * @param dbConfig the {@code wavestore.database} block
     * @param dataDir  the store's data directory; the default home of the embedded server's data
     * @throws ConfigException       when a setting is wrong
     * @throws IllegalStateException when the database cannot be started, reached, or migrated;
     *                               the message names the URL but never the password
     */
    public static Database start(Config dbConfig, Path dataDir) {
        String url = dbConfig.getString("url").strip();
        int poolSize = dbConfig.getInt("pool-size");
        if (poolSize < 1) {
            throw new ConfigException.BadValue(key("pool-size"), "must be at least 1, got " + poolSize
                    + " (env WAVESTORE_DB_POOL_SIZE)");
        }
        Duration connectionTimeout = dbConfig.getDuration("connection-timeout");
        if (connectionTimeout.toMillis() < 250) {
            throw new ConfigException.BadValue(key("connection-timeout"), "must be at least 250ms, got "
                    + connectionTimeout + " (env WAVESTORE_DB_CONNECTION_TIMEOUT)");
        }
        Pool pool = new Pool(poolSize, connectionTimeout);
        if (url.isEmpty()) {
            return startEmbedded(dbConfig.getConfig("embedded"), dataDir, pool);
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException.BadValue(key("url"), "expected a jdbc:postgresql: URL, got '"
                    + redact(url) + "' (env WAVESTORE_DB_URL)");
        }
        String user = dbConfig.getString("user");
        String password = dbConfig.getString("password");
        HikariDataSource hikari = connect(url, user, password, pool, key("url") + ", env WAVESTORE_DB_URL");
        return migrated(null, hikari, "PostgreSQL at " + redact(url) + " as user '" + user + "'");
    }

    private static Database startEmbedded(Config config, Path dataDir, Pool pool) {
        Path dir = embeddedDir(config.getString("dir").strip(), dataDir);
        int port = config.getInt("port");
        if (port < 0 || port > 65535) {
            throw new ConfigException.BadValue(key("embedded.port"), "must be 0 (a free port) or a TCP port, got "
                    + port + " (env WAVESTORE_DB_EMBEDDED_PORT)");
        }
        String setting = key("embedded.dir") + ", env WAVESTORE_DB_EMBEDDED_DIR";
        EmbeddedServer.Settings watch = new EmbeddedServer.Settings(
                positive(config, "watch-interval", "WAVESTORE_DB_EMBEDDED_WATCH_INTERVAL"),
                positive(config, "restart-backoff-min", "WAVESTORE_DB_EMBEDDED_RESTART_BACKOFF_MIN"),
                positive(config, "restart-backoff-max", "WAVESTORE_DB_EMBEDDED_RESTART_BACKOFF_MAX"),
                Duration.ofSeconds(60));
        EmbeddedServer server;
        try {
            server = EmbeddedServer.start(dir, port, watch);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot start the embedded PostgreSQL with data in " + dir + " ("
                    + setting + "; port from " + key("embedded.port") + "): " + e.getMessage(), e);
        }
        String url = server.jdbcUrl(EMBEDDED_DATABASE);
        try {
            createEmbeddedDatabase(server);
            HikariDataSource hikari = connect(url, EmbeddedServer.SUPERUSER, server.password(), pool, setting);
            return migrated(server, hikari, "embedded PostgreSQL at " + url + " with data in " + dir);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static Duration positive(Config config, String path, String env) {
        Duration value = config.getDuration(path);
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException.BadValue(config.origin(), key("embedded." + path),
                    "must be positive, got " + value + " (env " + env + ")");
        }
        return value;
    }

    private static Path embeddedDir(String configured, Path dataDir) {
        try {
            return (configured.isEmpty() ? dataDir.resolve("postgres") : Path.of(configured)).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new ConfigException.BadValue(key("embedded.dir"), "not a path: " + e.getMessage()
                    + " (env WAVESTORE_DB_EMBEDDED_DIR)");
        }
    }

    private static void createEmbeddedDatabase(EmbeddedServer server) {
        String url = server.jdbcUrl("postgres");
        try (Connection connection = DriverManager.getConnection(url, EmbeddedServer.SUPERUSER, server.password());
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, EMBEDDED_DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + EMBEDDED_DATABASE + " ENCODING 'UTF8'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database '" + EMBEDDED_DATABASE
                    + "' in the embedded PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    private static HikariDataSource connect(String url, String user, String password, Pool pool, String setting) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("wavestore-db");
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(pool.size());
        config.setMinimumIdle(Math.min(2, pool.size()));
        // While the database is away a request waits this long for a connection, then answers 503: keep it
        // within the readiness check's timeout, so callers learn of an outage as fast as the probes do.
        config.setConnectionTimeout(pool.connectionTimeout().toMillis());
        // A connection is checked before it is lent when it idled (a dead one is dropped, not handed out), and
        // idle ones are checked regularly, so the pool holds no dead connections once the database is back.
        config.setValidationTimeout(Math.max(250, pool.connectionTimeout().toMillis() / 2));
        config.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
        int connectSeconds = (int) Math.max(1, (pool.connectionTimeout().toMillis() + 999) / 1000);
        config.addDataSourceProperty("connectTimeout", connectSeconds);
        config.addDataSourceProperty("loginTimeout", connectSeconds);
        config.addDataSourceProperty("tcpKeepAlive", true);
        // Try one connection now, so a wrong URL or password fails the start with its reason.
        config.setInitializationFailTimeout(1);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot connect to PostgreSQL at " + redact(url) + " as user '" + user
                    + "' (" + setting + "): " + rootMessage(e), e);
        }
    }

    /** The pool's size and how long a request waits for one of its connections. */
    private record Pool(int size, Duration connectionTimeout) {
    }

    private static Database migrated(EmbeddedServer embedded, HikariDataSource pool, String description) {
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .load();
            int applied = flyway.migrate().migrationsExecuted;
            MigrationInfo current = flyway.info().current();
            log.info("Database: {}, schema version {} ({} migrations applied now)", description,
                    current == null ? "none" : current.getVersion(), applied);
        } catch (RuntimeException e) {
            pool.close();
            throw new IllegalStateException("Migrating the database (" + description + ") failed: "
                    + rootMessage(e), e);
        }
        return new Database(embedded, pool, description);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Which database this is, for logs: its URL without any password, and the data directory when embedded. */
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return describe();
    }

    /** Closes the pool, then stops the embedded server if there is one. Safe to call twice. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        dataSource.close();
        if (embedded != null) {
            embedded.close();
        }
    }

    static String redact(String url) {
        return URL_PASSWORD.matcher(url).replaceAll("$1***");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return redact(message);
    }

    private static String key(String relative) {
        return CONFIG_PATH + "." + relative;
    }
}
