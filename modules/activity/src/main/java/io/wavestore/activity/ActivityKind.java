package io.wavestore.activity;

/** What happened. The names are stable: they are stored, filtered on and shown. */
public enum ActivityKind {
    APP_VERSION_UPLOADED,
    APP_VERSION_CHANGED,
    APP_VERSION_DELETED,

    INSTANCE_STARTED,
    INSTANCE_SUSPENDED,
    INSTANCE_RESUMED,
    INSTANCE_UPDATED,
    INSTANCE_VISIBILITY_CHANGED,
    INSTANCE_TERMINATED,
    /** The workload failed (details: reason, message), or the store removed a release that can never run. */
    INSTANCE_FAILED,
    /** Kubernetes restarted the instance's container (details: restarts). */
    INSTANCE_RESTARTED,
    /** A release the store did not make, or saw for the first time (e.g. {@code helm install} by hand). */
    RELEASE_INSTALLED_OUTSIDE,
    /** A release changed without the store (e.g. {@code helm upgrade} by hand); details say what. */
    RELEASE_CHANGED_OUTSIDE,
    /** A release removed without the store (e.g. {@code helm uninstall} by hand). */
    RELEASE_REMOVED_OUTSIDE,

    TAG_CREATED,
    TAG_CHANGED,
    TAG_DELETED,
    ALIAS_CREATED,
    ALIAS_CHANGED,
    ALIAS_DELETED,
    TOKEN_CREATED,
    TOKEN_REVOKED,
    /** The hook for app secrets (names only, never values): nothing records these until the secrets API exists. */
    SECRET_SET,
    SECRET_DELETED
}
