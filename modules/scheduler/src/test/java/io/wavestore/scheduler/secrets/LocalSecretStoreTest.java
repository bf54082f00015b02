package io.wavestore.scheduler.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSecretStoreTest {

    private static final String VALUE = "hunter2-never-in-plain-text";

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void valuesAreEncryptedAtRestInFilesOnlyTheStoreUserReads() throws Exception {
        LocalSecretStore store = new LocalSecretStore(dir.resolve("secrets"), clock);
        StoredSecret created = store.create(new SecretStore.NewSecret("db", SecretScope.PRIVATE, "alice", Optional.empty()),
                Map.of("password", VALUE));

        assertThat(created.keys()).containsExactly("password");
        assertThat(store.values(created.id())).contains(Map.of("password", VALUE));
        try (var files = Files.list(dir.resolve("secrets"))) {
            for (Path file : files.toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain(VALUE, "alice", "db");
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets")))).isEqualTo("rwx------");
        // Another store on the same directory (a restart, a replica) reads it with the key it finds there.
        assertThat(new LocalSecretStore(dir.resolve("secrets"), clock).list()).containsExactly(created);
    }

    @Test
    void aSecondSecretWithTheSameNameScopeAndOwnerIsAConflictButAnotherOwnersIsNot() {
        LocalSecretStore store = new LocalSecretStore(dir, clock);
        store.create(new SecretStore.NewSecret("db", SecretScope.PRIVATE, "alice", Optional.empty()), Map.of("k", "v"));

        assertThatThrownBy(() -> store.create(new SecretStore.NewSecret("db", SecretScope.PRIVATE, "alice", Optional.empty()),
                Map.of("k", "w"))).isInstanceOf(SecretConflict.class);
        store.create(new SecretStore.NewSecret("db", SecretScope.PRIVATE, "bob", Optional.empty()), Map.of("k", "w"));
        store.create(new SecretStore.NewSecret("db", SecretScope.APP, "alice", Optional.of("app")), Map.of("k", "x"));
        assertThat(store.list()).hasSize(3);
    }

    @Test
    void replaceSwapsEveryKeyAndDeleteRemovesTheFile() {
        LocalSecretStore store = new LocalSecretStore(dir, clock);
        StoredSecret s = store.create(new SecretStore.NewSecret("api", SecretScope.ALL_USERS, "admin", Optional.empty()),
                Map.of("old", "1"));

        assertThat(store.replace(s.id(), Map.of("new", "2")).orElseThrow().keys()).containsExactly("new");
        assertThat(store.values(s.id())).contains(Map.of("new", "2"));
        assertThat(store.delete(s.id())).isTrue();
        assertThat(store.get(s.id())).isEmpty();
        assertThat(store.replace(s.id(), Map.of("x", "y"))).isEmpty();
        assertThat(store.delete("../store")).isFalse();
    }

    @Test
    void aFileRenamedToAnotherSecretsIdDoesNotDecrypt() throws Exception {
        LocalSecretStore store = new LocalSecretStore(dir, clock);
        StoredSecret a = store.create(new SecretStore.NewSecret("a", SecretScope.PRIVATE, "alice", Optional.empty()), Map.of("k", "1"));
        Path moved = dir.resolve("wavestore-secret-00000000000000000000.secret");
        Files.copy(dir.resolve(a.id() + ".secret"), moved);

        assertThatThrownBy(() -> store.get("wavestore-secret-00000000000000000000"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot be decrypted");
    }
}
