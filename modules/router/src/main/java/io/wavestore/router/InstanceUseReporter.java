package io.wavestore.router;

import io.wavestore.scheduler.InstanceActor;
import java.time.Instant;
import java.util.Map;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each instance's actor, every report-interval, when this replica last saw it used: one message per instance
 * used since the last report, never one per request. The actor keeps the newest time any replica reported and
 * suspends the instance when that is older than its timeout.
 */
final class InstanceUseReporter {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceUseReporter.class);

    private InstanceUseReporter() {
    }

    static Cancellable start(ActorSystem<?> system, InstanceUseTable table, IdleSettings settings) {
        ClusterSharding sharding = ClusterSharding.get(system);
        long grace = settings.webSocketGrace().toMillis();
        return system.scheduler().scheduleWithFixedDelay(settings.reportInterval(), settings.reportInterval(), () -> {
            try {
                Map<String, Long> used = table.usedSinceLastReport(System.currentTimeMillis(), grace);
                used.forEach((id, at) -> sharding.entityRefFor(InstanceActor.TYPE_KEY, id)
                        .tell(new InstanceActor.ActivitySeen(Instant.ofEpochMilli(at))));
            } catch (RuntimeException e) {
                LOG.warn("could not report the instances' use: {}", e.toString());
            }
        }, system.executionContext());
    }
}
