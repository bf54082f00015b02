package io.wavestore.database;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a postmaster left running on the embedded data directory by a store that died without
 * stopping it (kill -9, a crash). Such a server would make the next start fail with "another
 * server might be running".
 *
 * <p>Runs as the embedded server's data-directory customizer, that is after the store has taken
 * the directory's lock: a live store would still hold the lock, so a running postmaster found
 * here belongs to a dead one.
 */
final class EmbeddedOrphans {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedOrphans.class);

    private EmbeddedOrphans() {
    }

    static void stopOrphanedPostmaster(File dataDirectory) {
        Path pidFile = dataDirectory.toPath().resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster = readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(EmbeddedOrphans::isPostgres);
        if (postmaster.isEmpty()) {
            return; // no pid file, or a stale one that PostgreSQL itself will ignore
        }
        ProcessHandle process = postmaster.get();
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a previous run", process.pid(), dataDirectory);
        // SIGTERM: a "smart" shutdown, which here is quick since the old clients died with the old store.
        process.destroy();
        try {
            process.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL (pid " + process.pid() + ") left running on " + dataDirectory
                    + " by a previous run did not stop; stop it and start again", e);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> command.endsWith("postgres")).orElse(false);
    }
}
