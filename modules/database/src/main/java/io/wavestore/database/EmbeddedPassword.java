package io.wavestore.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The embedded PostgreSQL's superuser password: generated once, kept readable by the store's OS user only
 * ({@value #FILE_NAME}, mode 0600) in the data directory, and asked for on every connection (SCRAM-SHA-256).
 * {@link #HBA} replaces the {@code trust} that initdb writes, so no other OS user on the machine gets in.
 */
final class EmbeddedPassword {

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    static final String FILE_NAME = "wavestore-superuser.secret";

    /** Every connection, over TCP on loopback or the Unix socket, proves the password; nothing is trusted. */
    static final String HBA = String.join("\n",
            "# Written by Wavestore at every start of its embedded PostgreSQL: every connection needs the",
            "# password in " + FILE_NAME + " (SCRAM-SHA-256). Changes here are overwritten.",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256",
            "");

    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private EmbeddedPassword() {
    }

    /** The password kept in {@code dataDir}, if an earlier start wrote one. */
    static Optional<String> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the embedded PostgreSQL's password from " + file, e);
        }
    }

    /** A new random password (URL-safe base64: nothing to quote in SQL or in a password file). */
    static String generate() {
        // 256 random bits; the database module sits below the identity module (whose Secrets does the same for tokens).
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Keeps {@code password} in {@code dataDir}, mode 0600, replacing the file at once (never half-written). */
    static void keep(Path dataDir, String password) {
        write(dataDir, FILE_NAME, password);
    }

    /**
     * A password file for initdb's {@code --pwfile}, outside the data directory (initdb wants that directory
     * empty); the caller deletes it once initdb has run.
     */
    static Path initdbFile(String password) {
        try {
            Path dir = Files.createTempDirectory("wavestore-initdb-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return write(dir, "pwfile", password);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a password file for initdb", e);
        }
    }

    static void deleteInitdbFile(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete initdb's password file " + file, e);
        }
    }

    /** Replaces pg_hba.conf with {@link #HBA}. */
    static void writeHba(Path dataDir) {
        try {
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pg_hba.conf in " + dataDir, e);
        }
    }

    private static Path write(Path dir, String name, String content) {
        Path file = dir.resolve(name);
        try {
            Path tmp = Files.createTempFile(dir, name, ".tmp", OWNER_ONLY);
            Files.writeString(tmp, content + "\n", StandardCharsets.US_ASCII);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
