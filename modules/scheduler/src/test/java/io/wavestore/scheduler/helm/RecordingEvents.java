package io.wavestore.scheduler.helm;

import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Keeps every event a runtime reports, in order. */
final class RecordingEvents implements InstanceEvents {

    sealed interface Reported permits Changed, Removed, Health {
        String instanceId();
    }

    record Changed(InstanceRecord record) implements Reported {
        public String instanceId() {
            return record.instanceId();
        }
    }

    record Removed(String instanceId) implements Reported {
    }

    record Health(String instanceId, InstanceHealth health) implements Reported {
    }

    final List<Reported> events = new CopyOnWriteArrayList<>();

    @Override
    public void recordChanged(InstanceRecord record) {
        events.add(new Changed(record));
    }

    @Override
    public void recordRemoved(String instanceId) {
        events.add(new Removed(instanceId));
    }

    @Override
    public void healthChanged(String instanceId, InstanceHealth health) {
        events.add(new Health(instanceId, health));
    }

    /** Waits for a reported event of {@code type} that matches, and returns it. */
    <T extends Reported> T await(Class<T> type, Predicate<T> matches) {
        return Await.until("a " + type.getSimpleName() + " event", () -> events.stream().filter(type::isInstance)
                .map(type::cast).filter(matches).findFirst().orElse(null), e -> e != null);
    }

    <T extends Reported> List<T> all(Class<T> type, String instanceId) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(e -> e.instanceId().equals(instanceId)).toList();
    }
}
