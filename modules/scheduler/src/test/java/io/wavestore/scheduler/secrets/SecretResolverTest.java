package io.wavestore.scheduler.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {

    @TempDir
    Path dir;

    private LocalSecretStore store;
    private SecretResolver resolver;

    @BeforeEach
    void secrets() {
        store = new LocalSecretStore(dir, Clock.systemUTC());
        resolver = new SecretResolver(store);
    }

    @Test
    void aNameMeansTheOwnersPrivateSecretThenTheAppsThenTheOneForAllUsers() {
        StoredSecret shared = create("db", SecretScope.ALL_USERS, "admin", null, Map.of("password", "shared"));
        StoredSecret app = create("db", SecretScope.APP, "author", "my-app", Map.of("password", "app"));
        StoredSecret alices = create("db", SecretScope.PRIVATE, "alice", null, Map.of("password", "alice"));

        assertThat(envSecret("alice", "my-app")).isEqualTo(alices.id());
        assertThat(envSecret("bob", "my-app")).isEqualTo(app.id());
        assertThat(envSecret("bob", "other-app")).isEqualTo(shared.id());
    }

    @Test
    void anotherUsersPrivateSecretAndAnotherAppsSecretAreRefusedNamingTheSecretAndKey() {
        create("db", SecretScope.PRIVATE, "alice", null, Map.of("password", "x"));
        create("token", SecretScope.APP, "author", "other-app", Map.of("token", "y"));

        assertThatThrownBy(() -> resolver.resolve("bob", true, "my-app", List.of(env("PW", "db", "password", false)), List.of()))
                .isInstanceOf(SecretUnavailable.class)
                .hasMessageContaining("secret 'db' (key 'password', for env PW) may not be used")
                .hasMessageContaining("belongs to another user");
        assertThatThrownBy(() -> resolver.resolve("bob", true, "my-app", List.of(), List.of(
                new FileSpec("token.txt", Optional.empty(), Optional.of("token"), Optional.of("token")))))
                .isInstanceOf(SecretUnavailable.class)
                .hasMessageContaining("secret 'token' (key 'token', for file token.txt)")
                .hasMessageContaining("bound to the app 'other-app', not 'my-app'");
    }

    @Test
    void aVisitorsInstanceIsRefusedTheAllUsersSecretNamingItUnlessOptional() {
        StoredSecret shared = create("db", SecretScope.ALL_USERS, "admin", null, Map.of("password", "shared"));

        assertThatThrownBy(() -> resolver.resolve("vera", false, "my-app", List.of(env("PW", "db", "password", false)),
                List.of()))
                .isInstanceOf(SecretUnavailable.class)
                .hasMessageContaining("secret 'db' (key 'password', for env PW) may not be used")
                .hasMessageContaining("ALL_USERS secret of that name serves full users' instances");
        assertThat(resolver.resolve("vera", false, "my-app", List.of(env("PW", "db", "password", true)), List.of()).env())
                .isEmpty();
        assertThat(resolver.resolve("frank", true, "my-app", List.of(env("PW", "db", "password", false)), List.of())
                .env().get(0).secret()).contains(shared.id());
    }

    @Test
    void anOptionalMissingSecretOrKeyIsLeftOutAndARequiredOneFailsTheStart() {
        create("db", SecretScope.PRIVATE, "alice", null, Map.of("password", "x"));

        SecretResolver.Resolved resolved = resolver.resolve("alice", true, "my-app", List.of(
                env("MISSING", "nothing", null, true), env("NOKEY", "db", "user", true), env("PLAIN", null, null, false)),
                List.of());
        assertThat(resolved.env()).extracting(EnvVarSpec::name).containsExactly("PLAIN");
        assertThatThrownBy(() -> resolver.resolve("alice", true, "my-app", List.of(env("MISSING", "nothing", null, false)), List.of()))
                .isInstanceOf(SecretUnavailable.class).hasMessageContaining("secret 'nothing' (key 'MISSING', for env MISSING) does not exist");
        assertThatThrownBy(() -> resolver.resolve("alice", true, "my-app", List.of(env("USER", "db", "user", false)), List.of()))
                .isInstanceOf(SecretUnavailable.class).hasMessageContaining("has no key 'user'");
    }

    @Test
    void aSuspendedInstanceLeavesOutWhatItCannotHaveInsteadOfBeingRefused() {
        create("db", SecretScope.PRIVATE, "alice", null, Map.of("password", "x"));

        SecretResolver.Resolved stopped = resolver.resolve("bob", true, "my-app", List.of(env("PW", "db", "password", false)),
                List.of(new FileSpec("f.txt", Optional.empty(), Optional.of("gone"))), true);
        assertThat(stopped.env()).isEmpty();
        assertThat(stopped.files()).isEmpty();
    }

    @Test
    void aFilesKeyDefaultsToItsFileName() {
        StoredSecret tls = create("tls", SecretScope.PRIVATE, "alice", null, Map.of("cert.pem", "-----"));

        FileSpec file = resolver.resolve("alice", true, "my-app", List.of(),
                List.of(new FileSpec("certs/cert.pem", Optional.empty(), Optional.of("tls")))).files().get(0);
        assertThat(file.secret()).contains(tls.id());
        assertThat(file.secretKey()).contains("cert.pem");
    }

    private String envSecret(String owner, String app) {
        return resolver.resolve(owner, true, app, List.of(env("PW", "db", "password", false)), List.of()).env().get(0).secret().orElseThrow();
    }

    private StoredSecret create(String name, SecretScope scope, String owner, String app, Map<String, String> values) {
        return store.create(new SecretStore.NewSecret(name, scope, owner, Optional.ofNullable(app)), values);
    }

    private static EnvVarSpec env(String name, String secret, String key, boolean optional) {
        return new EnvVarSpec(name, secret == null ? Optional.of("v") : Optional.empty(), Optional.ofNullable(secret),
                Optional.ofNullable(key), optional);
    }
}
