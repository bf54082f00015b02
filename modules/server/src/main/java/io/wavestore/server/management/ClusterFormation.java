package io.wavestore.server.management;

import com.typesafe.config.ConfigException;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this replica becomes a cluster member, in one of three ways: cluster bootstrap (the replicas find each other
 * through service discovery, e.g. the Kubernetes API: cluster-config/kubernetes.conf), seed nodes
 * ({@code pekko.cluster.seed-nodes}, which Pekko joins by itself), or, with neither, a cluster of its own (the
 * embedded default).
 */
public final class ClusterFormation {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFormation.class);

    private ClusterFormation() {
    }

    /** Needs management HTTP started first when bootstrapping: the replicas probe each other there. */
    public static void start(ActorSystem<?> system, ManagementSettings settings) {
        List<String> seedNodes = system.settings().config().getStringList("pekko.cluster.seed-nodes");
        Cluster cluster = Cluster.get(system);
        if (settings.bootstrap()) {
            if (!seedNodes.isEmpty()) {
                throw new ConfigException.BadValue("wavestore.cluster.bootstrap", "cluster bootstrap and seed nodes"
                        + " (pekko.cluster.seed-nodes = " + seedNodes + ") exclude each other; configure one"
                        + " (env WAVESTORE_CLUSTER_BOOTSTRAP)");
            }
            LOG.info("cluster: bootstrapping through discovery '{}' as {}", system.settings().config()
                    .getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"),
                    cluster.selfMember().address());
            ClusterBootstrap.get(system).start();
        } else if (seedNodes.isEmpty()) {
            LOG.info("cluster: no seed nodes and no bootstrap, a cluster of one at {}", cluster.selfMember().address());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        } else {
            LOG.info("cluster: joining seed nodes {} as {}", seedNodes, cluster.selfMember().address());
        }
    }
}
