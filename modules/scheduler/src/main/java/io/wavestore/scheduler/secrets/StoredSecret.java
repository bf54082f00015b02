package io.wavestore.scheduler.secrets;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the store knows of a secret without its values: those are read only to start an instance, never to answer.
 *
 * @param id        the name of what holds it: the Kubernetes Secret, or the encrypted file (without extension)
 * @param name      the name app.toml refers to ({@code Secret = "..."})
 * @param scope     whose instances may use it
 * @param owner     the user who created it
 * @param app       the app it is bound to (APP scope only)
 * @param keys      its keys, sorted
 */
public record StoredSecret(String id, String name, SecretScope scope, String owner, Optional<String> app, List<String> keys,
                           Instant createdAt, Instant updatedAt) {

    public StoredSecret {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(app, "app");
        keys = keys.stream().sorted().toList();
    }

    /** Whether this is the secret a new one with these facts would collide with. */
    public boolean sameAs(String otherName, SecretScope otherScope, String otherOwner, Optional<String> otherApp) {
        return name.equals(otherName) && scope == otherScope && switch (scope) {
            case PRIVATE -> owner.equals(otherOwner);
            case APP -> app.equals(otherApp);
            case ALL_USERS -> true;
        };
    }
}
