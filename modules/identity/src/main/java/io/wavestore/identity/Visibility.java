package io.wavestore.identity;

/** Who may see an app version or an instance. */
public enum Visibility {
    /** Only the owner (and admins, for apps). */
    PRIVATE,
    /** Every signed-in user; visitors only through matching tags (apps). */
    ALL_USERS,
    /** Anyone, signed in or not. */
    PUBLIC
}
