package io.wavestore.router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this replica saw of every instance's use ({@link InstanceUse}), and what of it is news since the last report.
 * The data plane looks an instance's entry up once per request; the reporter reads the table every few seconds.
 */
public final class InstanceUseTable {

    /** An entry nobody used for this long, with no WebSocket open, is dropped (instances come and go). */
    private static final long FORGET_AFTER_MILLIS = 60 * 60 * 1000L;

    private final Map<String, InstanceUse> uses = new ConcurrentHashMap<>();
    /** What was reported of each instance last (only the reporter's thread touches it). */
    private final Map<String, Long> reported = new ConcurrentHashMap<>();

    InstanceUse of(String instanceId) {
        InstanceUse use = uses.get(instanceId);
        return use != null ? use : uses.computeIfAbsent(instanceId, id -> new InstanceUse());
    }

    /** A request to the instance begins. */
    public void requested(String instanceId) {
        of(instanceId).requested();
    }

    /**
     * The instances used since the last call, with the last time each counts as used (epoch millis). Called by one
     * reporter at a time.
     */
    Map<String, Long> usedSinceLastReport(long now, long graceMillis) {
        Map<String, Long> news = new LinkedHashMap<>();
        uses.forEach((id, use) -> {
            long used = use.lastUsed(now, graceMillis);
            Long before = reported.get(id);
            if (before == null || used > before) {
                reported.put(id, used);
                news.put(id, used);
            } else if (now - used > FORGET_AFTER_MILLIS && !use.hasOpenSockets()) {
                // A request racing with this removal writes to the dropped entry: that one use is not reported.
                uses.remove(id, use);
                reported.remove(id);
            }
        });
        return news;
    }
}
