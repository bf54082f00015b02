package io.wavestore.activity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The {@code wavestore.activity} block.
 *
 * @param retention       events (and their snapshots and rows) older than this are deleted
 * @param retentionCheck  how often the retention runs
 * @param askTimeout      how long one attempt to record waits for its entity
 * @param retryAttempts   attempts to record one fact before it is given up (logged)
 * @param retryMaxBackoff the longest wait between two attempts
 * @param snapshotEvery   an entity snapshots its state every this many events
 * @param projectionBatch at most this many events written to the activity table in one transaction
 * @param csvMaxRows      the most rows one CSV export holds
 */
public record ActivitySettings(Duration retention, Duration retentionCheck, Duration askTimeout, int retryAttempts,
        Duration retryMaxBackoff, int snapshotEvery, int projectionBatch, int csvMaxRows) {

    public static ActivitySettings from(Config config) {
        Config c = config.getConfig("wavestore.activity");
        ActivitySettings s = new ActivitySettings(c.getDuration("retention"), c.getDuration("retention-check"),
                c.getDuration("ask-timeout"), c.getInt("retry-attempts"), c.getDuration("retry-max-backoff"),
                c.getInt("snapshot-every"), c.getInt("projection-batch"), c.getInt("csv-max-rows"));
        if (s.retention.isNegative() || s.retention.isZero()) {
            throw new ConfigException.BadValue("wavestore.activity.retention",
                    "must be positive, got " + s.retention + " (env WAVESTORE_ACTIVITY_RETENTION)");
        }
        if (s.retryAttempts < 1 || s.snapshotEvery < 1 || s.projectionBatch < 1 || s.csvMaxRows < 1) {
            throw new ConfigException.BadValue("wavestore.activity",
                    "retry-attempts, snapshot-every, projection-batch and csv-max-rows must be at least 1");
        }
        return s;
    }
}
