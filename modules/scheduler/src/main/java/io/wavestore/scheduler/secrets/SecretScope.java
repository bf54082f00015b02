package io.wavestore.scheduler.secrets;

/** Whose instances may use a secret. */
public enum SecretScope {
    /** Only the instances its owner starts. */
    PRIVATE,
    /** The instances of any full user; only admins create these. */
    ALL_USERS,
    /** Only the instances of one app (by app name); created by that app's owner or an admin. */
    APP
}
