package io.wavestore.server.management;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The {@code wavestore.management} and {@code wavestore.cluster} settings: where management HTTP (health and
 * metrics) listens, how long its checks may take, and how this replica finds the others.
 *
 * @param host          management HTTP's address, advertised to cluster bootstrap as this replica's contact point
 * @param port          its port; 0 takes any free one
 * @param checkTimeout  how long the readiness check's database query may take before the replica counts as not ready
 * @param scrapeTimeout how long a scrape waits for the cluster's answers (instances, shards) before leaving them out
 * @param unreadyDelay  at shutdown, how long the replica reports not-ready before it stops accepting requests, so that
 *                      the load balancer stops sending new ones first
 * @param jvmMetrics    whether /metrics includes the JVM's own metrics
 * @param bootstrap     whether the cluster forms through pekko-management cluster bootstrap
 */
public record ManagementSettings(String host, int port, Duration checkTimeout, Duration scrapeTimeout,
        Duration unreadyDelay, boolean jvmMetrics, boolean bootstrap) {

    public static ManagementSettings from(Config config) {
        Config m = config.getConfig("wavestore.management");
        int port = m.getInt("port");
        if (port < 0 || port > 65535) {
            throw new ConfigException.BadValue("wavestore.management.port",
                    "must be 0 (a free port) or a TCP port, got " + port + " (env WAVESTORE_MANAGEMENT_PORT)");
        }
        return new ManagementSettings(m.getString("host"), port, m.getDuration("check-timeout"),
                m.getDuration("scrape-timeout"), m.getDuration("unready-delay"), m.getBoolean("jvm-metrics"),
                config.getBoolean("wavestore.cluster.bootstrap"));
    }
}
