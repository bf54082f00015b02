package io.wavestore.activity;

import java.time.Instant;
import java.util.Map;

/** One row of the activity table: an event of the journal as the API shows it. */
public record ActivityRow(
        long offset,
        String id,
        Instant at,
        String kind,
        String actorType,
        String actorId,
        String subjectType,
        String subjectId,
        String instanceId,
        String appName,
        String appVersion,
        String ownerId,
        Boolean running,
        Map<String, String> details) {
}
