package io.wavestore.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL for tests, listening on 127.0.0.1 on a free port.
 *
 * <p>Starting one takes a second or two, so tests share one per JVM through {@link #shared()}
 * and isolate themselves with {@link #createDatabase()}: every call creates a new, empty database
 * with a unique name. The shared server is stopped, and its data directory deleted, by a shutdown
 * hook; closing it does nothing. {@link #start()} gives a private server that {@link #close()}
 * stops.
 *
 * <p>Connections authenticate as {@link #user()} with {@link #password()} (SCRAM), an ordinary
 * role that owns the databases created for it, as an application's role would in production. A
 * wrong password is refused, as it would be there.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final String USER = "wavestore_test";
    private static final String PASSWORD = "wavestore-test-password";
    private static final String SUPERUSER = "postgres";

    private static PostgresServer shared;

    private EmbeddedPostgres postgres;
    private final boolean isShared;
    /** A private server's own data directory, kept while it is stopped; null for the shared one. */
    private final java.nio.file.Path dataDir;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, boolean isShared, java.nio.file.Path dataDir) {
        this.postgres = postgres;
        this.isShared = isShared;
        this.dataDir = dataDir;
        this.port = postgres.getPort();
    }

    /** The JVM's shared server, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = new PostgresServer(startPostgres(EmbeddedPostgres.builder()), true, null);
        }
        return shared;
    }

    /**
     * A server of its own, stopped by {@link #close()}, that a test may also {@link #stop()} and
     * {@link #startAgain()} (a database outage), keeping its data and port.
     */
    public static PostgresServer start() {
        java.nio.file.Path dir;
        try {
            dir = Files.createTempDirectory("wavestore-test-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a data directory for a test PostgreSQL", e);
        }
        return new PostgresServer(startPostgres(kept(dir, 0)), false, dir);
    }

    private static EmbeddedPostgres.Builder kept(java.nio.file.Path dir, int port) {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port);
    }

    /** Stops a private server (fast: open connections are closed), keeping its data. */
    public synchronized void stop() {
        requirePrivate();
        closeQuietly(postgres);
    }

    /** Starts a stopped private server again, on the same port with the same data. */
    public synchronized void startAgain() {
        requirePrivate();
        try {
            postgres = configured(kept(dataDir, port)).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the test PostgreSQL again", e);
        }
    }

    private void requirePrivate() {
        if (isShared) {
            throw new IllegalStateException("the shared test PostgreSQL is never stopped; use PostgresServer.start()");
        }
    }

    private static EmbeddedPostgres.Builder configured(EmbeddedPostgres.Builder builder) {
        return builder.setServerConfig("listen_addresses", HOST)
                .setDataDirectoryCustomizer(PostgresServer::requirePasswords);
    }

    private static EmbeddedPostgres startPostgres(EmbeddedPostgres.Builder builder) {
        EmbeddedPostgres postgres;
        try {
            postgres = configured(builder)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the test PostgreSQL", e);
        }
        try {
            executeAsSuperuser(postgres.getPort(), "CREATE ROLE " + USER + " LOGIN CREATEDB PASSWORD '" + PASSWORD + "'");
        } catch (RuntimeException e) {
            closeQuietly(postgres);
            throw e;
        }
        return postgres;
    }

    // initdb makes every local connection trusted. Keep trust for the superuser (the embedded
    // server checks its own readiness as that user, without a password) and ask everyone else
    // for a password.
    private static void requirePasswords(File dataDirectory) {
        String hba = String.join("\n",
                "# written by io.wavestore.testkit.PostgresServer",
                "local all all trust",
                "host all " + SUPERUSER + " 127.0.0.1/32 trust",
                "host all " + SUPERUSER + " ::1/128 trust",
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                "");
        try {
            Files.writeString(dataDirectory.toPath().resolve("pg_hba.conf"), hba, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pg_hba.conf", e);
        }
    }

    /** Creates a new empty database owned by {@link #user()} and returns its JDBC URL. */
    public String createDatabase() {
        String name = "test_" + UUID.randomUUID().toString().replace("-", "");
        executeAsSuperuser(port(), "CREATE DATABASE " + name + " OWNER " + USER + " ENCODING 'UTF8'");
        return jdbcUrl(name);
    }

    /** The JDBC URL of {@code database} on this server, without credentials. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** Stops a server from {@link #start()}; does nothing for the {@link #shared()} one. */
    @Override
    public void close() {
        if (!isShared) {
            closeQuietly(postgres);
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is harmless
            }
        }
    }

    private static void executeAsSuperuser(int port, String sql) {
        String url = "jdbc:postgresql://" + HOST + ":" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(url, SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Test PostgreSQL at " + url + " refused: " + sql, e);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            // the embedded server logs its own stop failures
        }
    }
}
