package io.wavestore.server.api;

import io.wavestore.identity.Caller;
import io.wavestore.scheduler.secrets.StoredSecret;

/**
 * Told of every secret created, replaced or deleted through the API, with who did it, after it happened: where the
 * activity history records secret changes. It gets the secret's facts (name, scope, keys), never a value.
 */
public interface SecretChanges {

    SecretChanges NONE = new SecretChanges() { };

    default void created(Caller by, StoredSecret secret) {
    }

    default void replaced(Caller by, StoredSecret secret) {
    }

    default void deleted(Caller by, StoredSecret secret) {
    }
}
