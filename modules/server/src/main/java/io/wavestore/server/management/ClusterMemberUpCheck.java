package io.wavestore.server.management;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;

/**
 * Readiness: this replica is an Up member of the cluster. Before that it cannot reach instance actors (sharding) or
 * the release watcher (singleton), so requests about instances would only wait and time out. Registered in
 * management.conf.
 */
public final class ClusterMemberUpCheck implements Supplier<CompletionStage<Boolean>> {

    private final Cluster cluster;

    public ClusterMemberUpCheck(ActorSystem system) {
        this.cluster = Cluster.get(system);
    }

    @Override
    public CompletionStage<Boolean> get() {
        MemberStatus status = cluster.selfMember().status();
        return NotReady.unless(status == MemberStatus.up() || status == MemberStatus.weaklyUp(),
                "wavestore-cluster-member-up: this replica is " + status + " in the cluster, not Up");
    }
}
