package io.wavestore.server;

import io.wavestore.scheduler.InstanceActor;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/** The ids of the instance actors that run on one replica, as its shard region knows them. */
final class InstanceEntities {

    private InstanceEntities() {
    }

    static Set<String> ids(ActorSystem<?> system) throws Exception {
        ShardRegion.CurrentShardRegionState state = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
                        ShardRegion.CurrentShardRegionState>ask(ClusterSharding.get(system).shardState(),
                        replyTo -> new GetShardRegionState(InstanceActor.TYPE_KEY, replyTo), Duration.ofSeconds(10),
                        system.scheduler())
                .toCompletableFuture().get();
        return state.getShards().stream().flatMap(shard -> shard.getEntityIds().stream()).collect(Collectors.toSet());
    }
}
