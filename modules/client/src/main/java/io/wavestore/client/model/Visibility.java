package io.wavestore.client.model;

/** Who may see an app version or use an instance. */
public enum Visibility {
    PRIVATE, ALL_USERS, PUBLIC
}
