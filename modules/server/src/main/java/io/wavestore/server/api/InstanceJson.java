package io.wavestore.server.api;

import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.time.Instant;
import java.util.List;

/**
 * An instance as the API shows it (its JSON): its record, where it is, and why it is not running when it is not.
 * Made from the scheduler's {@link io.wavestore.scheduler.InstanceView}, the live view its actor answers with across
 * the cluster; the two stay apart so that the actors' protocol between replicas never fixes the API's shape.
 */
public record InstanceJson(
        String id,
        String url,
        String appName,
        String appVersion,
        String appId,
        String owner,
        String visibility,
        boolean suspended,
        Instant createdAt,
        String phase,
        boolean ready,
        int restarts,
        String reason,
        String message,
        Integer exitCode,
        List<EventView> events,
        String releaseState,
        String operation,
        String lastError,
        io.wavestore.scheduler.LaunchProgress progress,
        String suspendedReason) {

    public record EventView(Instant at, String type, String reason, String message) {
    }

    /** @param url where browsers open it */
    public static InstanceJson of(io.wavestore.scheduler.InstanceView view, String url) {
        InstanceRecord r = view.record().orElseThrow();
        InstanceHealth h = view.health();
        return new InstanceJson(r.instanceId(), url, r.appName(), r.appVersion(), r.appId(),
                r.ownerId(), r.visibility().name(), r.suspended(), r.createdAt(), h.phase().name(), h.ready(), h.restarts(),
                h.reason().orElse(null), h.message().orElse(null), h.exitCode().orElse(null),
                h.events().stream().map(e -> new EventView(e.at(), e.type(), e.reason(), e.message())).toList(),
                r.releaseState().name(), view.operation().orElse(null), view.lastError().orElse(null),
                view.progress().orElse(null), view.suspendedReason().orElse(null));
    }

    /** A listing entry: the record and the phase the directory knows. */
    public static InstanceJson of(io.wavestore.scheduler.ReleaseWatcher.Entry entry, String url) {
        InstanceRecord r = entry.record();
        return new InstanceJson(r.instanceId(), url, r.appName(), r.appVersion(), r.appId(),
                r.ownerId(), r.visibility().name(), r.suspended(), r.createdAt(), entry.phase().name(), entry.ready(), 0, null,
                null, null, List.of(), r.releaseState().name(), null, null, null, r.suspendedReason().orElse(null));
    }
}
