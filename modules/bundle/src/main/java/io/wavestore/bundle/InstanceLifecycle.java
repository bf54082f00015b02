package io.wavestore.bundle;

/** How instances of an app come to life, as {@code App.InstanceLifecycle} in app.toml. */
public enum InstanceLifecycle {
    /** Users start their own instances; idle ones may be suspended after {@code InstanceTimeout}. */
    ON_DEMAND,
    /** The store keeps one shared instance running on behalf of everyone. */
    MANAGED,
    /** No instance at all: the catalog entry only links to {@code Link.Address}. */
    LINK
}
