package io.wavestore.scheduler;

import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What an instance actor told the activity history, as "kind instance detail" lines, in order. */
final class RecordedActivity implements InstanceActivity {

    final List<String> told = new CopyOnWriteArrayList<>();

    @Override
    public void releaseObserved(InstanceRecord record) {
        told.add("observed " + record.instanceId() + " " + record.appVersion() + (record.suspended() ? " suspended" : ""));
    }

    @Override
    public void releaseRemoved(InstanceRecord last) {
        told.add("removed " + last.instanceId());
    }

    @Override
    public void healthObserved(InstanceRecord record, InstanceHealth health) {
        told.add("health " + record.instanceId() + " " + health.phase() + " " + health.restarts());
    }

    @Override
    public void suspendedForIdleness(InstanceRecord suspended, java.time.Duration idleFor) {
        told.add("idle-suspended " + suspended.instanceId() + " after " + io.wavestore.bundle.DurationFormat.format(idleFor));
    }

    @Override
    public void cleanedUp(InstanceRecord last, String why) {
        told.add("cleaned up " + last.instanceId());
    }
}
