package io.wavestore.identity;

/** What kind of user a caller is. Ordered from least to most trusted. */
public enum Role {
    /** Not signed in. Sees only PUBLIC things. */
    ANONYMOUS,
    /** Signed in with limited access: sees ALL_USERS apps only through tags whose visitor roles match. */
    VISITOR,
    /** A regular signed-in user. */
    FULL_USER,
    /** Manages the store: all apps, tags, aliases and instances. */
    ADMIN
}
