package io.wavestore.server.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.ReleaseWatcher;
import io.wavestore.scheduler.runtime.InstanceHealth;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * Fills the gauges of the cluster's state just before a scrape: instances by phase (asked of the release watcher,
 * a singleton, so every replica reports the same numbers), cluster members, and how instance actors are spread over
 * the replicas. Each part that does not answer within the timeout is left out of that scrape (and counted in
 * {@code wavestore_metrics_collect_failures_total}) rather than reported stale.
 */
public final class ClusterGauges {

    private static final String TYPE = InstanceActor.TYPE_KEY.name();

    private final ActorSystem<?> system;
    private final StoreMetrics metrics;
    private final Optional<ActorRef<ReleaseWatcher.Command>> watcher;
    private final Duration timeout;

    /** @param watcher the release watcher, when this store runs instances (sharding too is started only then) */
    public ClusterGauges(ActorSystem<?> system, StoreMetrics metrics, Optional<ActorRef<ReleaseWatcher.Command>> watcher,
            Duration timeout) {
        this.system = system;
        this.metrics = metrics;
        this.watcher = watcher;
        this.timeout = timeout;
    }

    /** Completes (never fails) once every part has answered or was left out. */
    public CompletionStage<Void> refresh() {
        members();
        if (watcher.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(instances(watcher.get()).toCompletableFuture(),
                nodeShards().toCompletableFuture(), clusterShards().toCompletableFuture());
    }

    private void members() {
        Map<String, Integer> byStatus = new java.util.TreeMap<>();
        for (Member member : Cluster.get(system).state().getMembers()) {
            byStatus.merge(member.status().toString().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
        }
        metrics.clusterMembers.clear();
        byStatus.forEach((status, count) -> metrics.clusterMembers.labelValues(status).set(count));
    }

    private CompletionStage<Void> instances(ActorRef<ReleaseWatcher.Command> releaseWatcher) {
        CompletionStage<ReleaseWatcher.Listing> listing = AskPattern.ask(releaseWatcher,
                replyTo -> new ReleaseWatcher.ListInstances(Optional.empty(), Optional.empty(), replyTo), timeout,
                system.scheduler());
        return collect("instances", listing, answer -> {
            Map<InstanceHealth.Phase, Integer> byPhase = new EnumMap<>(InstanceHealth.Phase.class);
            for (InstanceHealth.Phase phase : InstanceHealth.Phase.values()) {
                byPhase.put(phase, 0);
            }
            answer.entries().forEach(entry -> byPhase.merge(entry.phase(), 1, Integer::sum));
            byPhase.forEach((phase, count) ->
                    metrics.instances.labelValues(phase.name().toLowerCase(java.util.Locale.ROOT)).set(count));
        }, metrics.instances);
    }

    private CompletionStage<Void> nodeShards() {
        CompletionStage<ShardRegion.CurrentShardRegionState> state = AskPattern.ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetShardRegionState(InstanceActor.TYPE_KEY, replyTo), timeout, system.scheduler());
        return collect("node-shards", state, answer -> {
            metrics.nodeShards.labelValues(TYPE).set(answer.getShards().size());
            metrics.nodeEntities.labelValues(TYPE).set(answer.getShards().stream()
                    .mapToInt(shard -> shard.getEntityIds().size()).sum());
        }, metrics.nodeShards, metrics.nodeEntities);
    }

    private CompletionStage<Void> clusterShards() {
        CompletionStage<ShardRegion.ClusterShardingStats> stats = AskPattern.ask(
                ClusterSharding.get(system).shardState(),
                replyTo -> new GetClusterShardingStats(InstanceActor.TYPE_KEY, timeout, replyTo),
                timeout.plus(timeout), system.scheduler());
        return collect("cluster-shards", stats, answer -> {
            metrics.clusterShards.clear();
            metrics.clusterEntities.clear();
            answer.getRegions().forEach((address, region) -> {
                metrics.clusterShards.labelValues(TYPE, address.toString()).set(region.getStats().size());
                metrics.clusterEntities.labelValues(TYPE, address.toString())
                        .set(region.getStats().values().stream().mapToInt(count -> ((Number) count).intValue()).sum());
            });
        }, metrics.clusterShards, metrics.clusterEntities);
    }

    /** Applies the answer, or on failure clears the part's gauges and counts the failure. */
    private <T> CompletionStage<Void> collect(String collector, CompletionStage<T> answer,
            java.util.function.Consumer<T> apply, Gauge... gauges) {
        return answer.handle((value, error) -> {
            if (error == null) {
                apply.accept(value);
            } else {
                metrics.collectFailures.labelValues(collector).inc();
                for (Gauge gauge : gauges) {
                    gauge.clear();
                }
            }
            return null;
        });
    }
}
