package io.wavestore.client.model;

/** Whose instances may use a secret: its owner's, full users' and admins' (admins create these), or one app's. */
public enum SecretScope {
    PRIVATE, ALL_USERS, APP
}
