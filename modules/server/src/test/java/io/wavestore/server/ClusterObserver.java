package io.wavestore.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wavestore.scheduler.InstanceActor;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.Patterns;

/**
 * A Pekko node in the test's JVM that joins the replicas' cluster with the role "observer": the replicas put sharded
 * instances and singletons only on nodes with the role "store" (cluster-config/local.conf), so it hosts nothing and
 * only asks. It tells which members are up and, from the replicas' shard regions themselves, which replica hosts each
 * instance's actor.
 *
 * <p>It must never change the cluster it watches. It listens on a port above every replica's, so it is never the
 * leader (the reachable member with the lowest address, the one whose split brain resolver acts) while a replica is
 * up; and its resolver never downs all (a starved test JVM, seeing every replica flap, once downed them all and the
 * store with them). Cut off alone, it is the minority and downs itself; then it joins again with a fresh node.
 */
final class ClusterObserver implements AutoCloseable {

    private final List<Integer> seedPorts;
    private volatile ActorSystem<Void> system;

    ClusterObserver(List<Integer> seedPorts) {
        this.seedPorts = List.copyOf(seedPorts);
        this.system = join();
    }

    private ActorSystem<Void> join() {
        Map<String, Object> settings = new HashMap<>();
        settings.put("pekko.remote.artery.canonical.port", freePortAbove(seedPorts.stream().max(Integer::compare).orElseThrow()));
        settings.put("pekko.cluster.seed-nodes", seedPorts.stream().map(p -> "pekko://wavestore@127.0.0.1:" + p).toList());
        settings.put("pekko.cluster.roles", List.of("observer"));
        // The replicas refuse a member with another downing provider or strategy; what makes this one harmless is that
        // it never decides for anyone but itself: alone on its side it is the minority and downs only itself.
        settings.put("pekko.cluster.split-brain-resolver.down-all-when-unstable", "off");
        settings.put("pekko.loglevel", "WARNING");
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
        return ActorSystem.create(Behaviors.empty(), "wavestore", config);
    }

    /** The observer's node, joined again if the cluster removed it. */
    private ActorSystem<Void> node() {
        if (system.whenTerminated().isCompleted()) {
            synchronized (this) {
                if (system.whenTerminated().isCompleted()) {
                    system = join();
                }
            }
        }
        return system;
    }

    private static int freePortAbove(int port) {
        for (int candidate = port + 1; candidate < 65535; candidate++) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (java.io.IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port above " + port);
    }

    /** The cluster ports of the members with the role "store" that are Up. */
    Set<Integer> upReplicas() {
        return java.util.stream.StreamSupport.stream(Cluster.get(node()).state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up() && m.hasRole("store"))
                .map(m -> m.address().getPort().orElse(-1))
                .collect(Collectors.toSet());
    }

    void awaitUpReplicas(Set<Integer> ports, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!upReplicas().equals(ports)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("members up: " + upReplicas() + ", expected " + ports + " within " + within);
            }
            Thread.sleep(200);
        }
    }

    /**
     * Which replica (its cluster port) hosts the actor of each instance: the region where that actor runs. Asks until
     * every instance's actor runs somewhere (a proxy that just started, or a shard being moved, gives partial answers;
     * an actor whose shard moved runs again only once a message reaches it, so callers make sure one does).
     */
    Map<String, Integer> hosts(List<String> instanceIds) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        Map<String, Integer> hosts = hostsNow(instanceIds);
        while (hosts.size() < instanceIds.size() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            hosts = hostsNow(instanceIds);
        }
        return hosts;
    }

    /**
     * Asks the shard region of every replica that is up which entities it has. (Pekko's cluster-wide statistics,
     * GetClusterShardingStats, answered an empty map whenever asked through this proxy; each region answers for itself.)
     */
    private Map<String, Integer> hostsNow(List<String> instanceIds) {
        Set<String> wanted = Set.copyOf(instanceIds);
        Map<String, Integer> hosts = new HashMap<>();
        for (Member member : Cluster.get(node()).state().getMembers()) {
            if (member.status() != MemberStatus.up() || !member.hasRole("store")) {
                continue;
            }
            ActorSelection region = Adapter.toClassic(node()).actorSelection(
                    member.address() + "/system/sharding/" + InstanceActor.TYPE_KEY.name());
            try {
                Object answer = Patterns.ask(region, ShardRegion.getShardRegionStateInstance(), Duration.ofSeconds(5))
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
                for (ShardRegion.ShardState shard : ((ShardRegion.CurrentShardRegionState) answer).getShards()) {
                    shard.getEntityIds().stream().filter(wanted::contains)
                            .forEach(id -> hosts.put(id, member.address().getPort().orElse(-1)));
                }
            } catch (Exception e) {
                // a region that does not answer (its node is going) hosts nothing we can count on
            }
        }
        return hosts;
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
}
