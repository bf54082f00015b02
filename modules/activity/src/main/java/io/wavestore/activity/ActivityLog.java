package io.wavestore.activity;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Where routes hand facts to the history of their actor system, without being built with it: a system whose history
 * was not started (route tests, tools) records nothing. Handing over returns at once; see {@link ActivityRecorder}.
 */
public final class ActivityLog implements Extension {

    private static final Id ID = new Id();

    private volatile ActivityRecorder recorder;

    public static ActivityLog get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    void install(ActivityRecorder installed) {
        this.recorder = installed;
    }

    public void record(ActivityFact fact) {
        ActivityRecorder r = recorder;
        if (r != null) {
            r.record(fact);
        }
    }

    /** The time facts are stamped with. */
    public Clock clock() {
        ActivityRecorder r = recorder;
        return r == null ? Clock.systemUTC() : r.clock();
    }

    private static final class Id extends ExtensionId<ActivityLog> {
        @Override
        public ActivityLog createExtension(ActorSystem<?> system) {
            return new ActivityLog();
        }
    }
}
