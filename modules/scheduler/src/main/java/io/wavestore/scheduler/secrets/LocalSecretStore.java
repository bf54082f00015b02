package io.wavestore.scheduler.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The embedded default's secrets: one file per secret in a directory of the data directory, each the AES-GCM
 * encryption (with the secret's id as associated data, so a file renamed to another id does not decrypt) of its
 * facts and values, under a 256-bit key the store generates there on first use. Key and files are 0600 and the
 * directory 0700: only the store's user reads them; an instance gets the values of the secrets it was resolved for
 * from its launcher, and sandboxed instances cannot see the data directory.
 */
public final class LocalSecretStore implements SecretStore {

    private static final String KEY_FILE = "store.key";
    private static final String SUFFIX = ".secret";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Path dir;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
    private final SecretKeySpec key;

    public LocalSecretStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            this.key = new SecretKeySpec(loadOrCreateKey(), "AES");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the secrets directory " + dir, e);
        }
    }

    @Override
    public synchronized List<StoredSecret> list() {
        List<StoredSecret> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                read(idOf(file)).ifPresent(stored -> all.add(stored.info()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    @Override
    public synchronized Optional<StoredSecret> get(String id) {
        return read(id).map(Sealed::info);
    }

    @Override
    public synchronized StoredSecret create(NewSecret secret, Map<String, String> values) {
        if (list().stream().anyMatch(s -> s.sameAs(secret.name(), secret.scope(), secret.owner(), secret.app()))) {
            throw new SecretConflict("a " + secret.scope() + " secret named '" + secret.name() + "' exists already");
        }
        Instant now = clock.instant();
        String id = SecretNames.idOf(secret.name(), secret.scope(), secret.owner(), secret.app());
        Sealed sealed = new Sealed(new StoredSecret(id, secret.name(), secret.scope(), secret.owner(), secret.app(),
                List.copyOf(values.keySet()), now, now), values);
        write(sealed, false);
        return sealed.info();
    }

    @Override
    public synchronized Optional<StoredSecret> replace(String id, Map<String, String> values) {
        return read(id).map(old -> {
            StoredSecret o = old.info();
            Sealed sealed = new Sealed(new StoredSecret(id, o.name(), o.scope(), o.owner(), o.app(),
                    List.copyOf(values.keySet()), o.createdAt(), clock.instant()), values);
            write(sealed, true);
            return sealed.info();
        });
    }

    @Override
    public synchronized boolean delete(String id) {
        try {
            return SecretNames.ID.matcher(id).matches() && Files.deleteIfExists(file(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Optional<Map<String, String>> values(String id) {
        return read(id).map(Sealed::values);
    }

    /** Where the secrets are, for messages. */
    public Path dir() {
        return dir;
    }

    private Optional<Sealed> read(String id) {
        if (!SecretNames.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        byte[] sealed;
        try {
            sealed = Files.readAllBytes(file(id));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, IV_BYTES));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(sealed, IV_BYTES, sealed.length - IV_BYTES);
            return Optional.of(json.readValue(plain, new TypeReference<Sealed>() { }));
        } catch (GeneralSecurityException | IOException e) {
            // Not the message of the cause: nothing about the content of a secret file goes into a log or an answer.
            throw new IllegalStateException("the secret file " + file(id) + " cannot be decrypted with " + dir.resolve(KEY_FILE));
        }
    }

    private void write(Sealed secret, boolean replace) {
        String id = secret.info().id();
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(id.getBytes(StandardCharsets.UTF_8));
            byte[] encrypted = cipher.doFinal(json.writeValueAsBytes(secret));
            byte[] out = new byte[IV_BYTES + encrypted.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(encrypted, 0, out, IV_BYTES, encrypted.length);
            Path tmp = Files.createTempFile(dir, id, ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, out);
                if (replace) {
                    Files.move(tmp, file(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    // A link fails when the file exists: of two stores creating the same secret, one wins.
                    Files.createLink(file(id), tmp);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new SecretConflict("a " + secret.info().scope() + " secret named '" + secret.info().name()
                    + "' exists already");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a secret: " + e.getMessage());
        }
    }

    private byte[] loadOrCreateKey() throws IOException {
        Path file = dir.resolve(KEY_FILE);
        if (!Files.exists(file)) {
            byte[] fresh = new byte[32];
            random.nextBytes(fresh);
            Path tmp = Files.createTempFile(dir, "key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, fresh);
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // Another store sharing the data directory made it first: use theirs.
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        byte[] key = Files.readAllBytes(file);
        if (key.length != 32) {
            throw new IOException(file + " is not a 256-bit key");
        }
        return key;
    }

    private Path file(String id) {
        return dir.resolve(id + SUFFIX);
    }

    private static String idOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    /** What a file holds once decrypted. */
    record Sealed(StoredSecret info, Map<String, String> values) {
        Sealed {
            values = new LinkedHashMap<>(values);
        }
    }
}
