package io.wavestore.scheduler.secrets;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the values of secrets live: Kubernetes Secrets next to the instances, or encrypted files in the data
 * directory of a local store. Calls block. Values go in on create and replace and come out only through
 * {@link #values} (to start an instance); everything else gives {@link StoredSecret}s, which hold none.
 *
 * <p>Changes made through the API, with who made them, are told to the server's {@code SecretChanges}.
 */
public interface SecretStore extends AutoCloseable {

    List<StoredSecret> list();

    Optional<StoredSecret> get(String id);

    /** @throws SecretConflict when a secret with the same name, scope and owner (or app) exists */
    StoredSecret create(NewSecret secret, Map<String, String> values);

    /** Replaces every key of the secret; empty when there is no such secret. */
    Optional<StoredSecret> replace(String id, Map<String, String> values);

    /** False when there was no such secret. */
    boolean delete(String id);

    /** The secret's values, by key; empty when it is gone. */
    Optional<Map<String, String>> values(String id);

    @Override
    default void close() {
    }

    /** A secret to create. */
    record NewSecret(String name, SecretScope scope, String owner, Optional<String> app) {
    }
}
