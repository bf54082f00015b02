package io.wavestore.scheduler;

import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;

/**
 * The one port through which an {@link InstanceActor} tells the activity history what it saw of its instance in the
 * runtime (Kubernetes, or the local runtime): a release as it is now, a release gone, the workload's health. The
 * history decides whether that is news (a release installed or changed with the {@code helm} command, a failure, a
 * restart); it is never asked back and never decides an instance's state.
 *
 * <p>Implementations must return at once and never throw: recording never slows or fails a lifecycle command.
 */
public interface InstanceActivity {

    /** The runtime has this release, as it is now (seen by the watch, not made by this store's own command). */
    void releaseObserved(InstanceRecord record);

    /** The runtime no longer has this release, and not because this store removed it. */
    void releaseRemoved(InstanceRecord last);

    /** The workload failed (with {@code reason}) or was restarted by Kubernetes (its restart count grew). */
    void healthObserved(InstanceRecord record, InstanceHealth health);

    /** The store removes a release that can never run (its install failed, its app version is gone). */
    void cleanedUp(InstanceRecord last, String why);

    /** The store suspended the instance on its own: nobody used it for {@code idleFor}, its timeout. */
    default void suspendedForIdleness(InstanceRecord suspended, java.time.Duration idleFor) {
    }

    /** A visit by {@code visitorId} resumed the suspended instance (the router's wake on visit). */
    default void wokenByVisit(InstanceRecord resumed, String visitorId) {
    }

    /** Records nothing: a store without the activity history (tests, tools). */
    InstanceActivity NONE = new InstanceActivity() {
        @Override
        public void releaseObserved(InstanceRecord record) {
        }

        @Override
        public void releaseRemoved(InstanceRecord last) {
        }

        @Override
        public void healthObserved(InstanceRecord record, InstanceHealth health) {
        }

        @Override
        public void cleanedUp(InstanceRecord last, String why) {
        }
    };
}
