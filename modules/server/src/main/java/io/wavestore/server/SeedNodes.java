package io.wavestore.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.wavestore.scheduler.ConfigLists;
import java.util.List;

/**
 * Seed nodes from one environment variable: HOCON cannot split {@code WAVESTORE_CLUSTER_SEED_NODES} (a comma-separated
 * list) into {@code pekko.cluster.seed-nodes}, so the store does it before its actor system starts. The overlay
 * {@code cluster-config/local.conf} puts the variable at {@code wavestore.cluster.seed-nodes}.
 */
final class SeedNodes {

    static final String PATH = "wavestore.cluster.seed-nodes";

    private SeedNodes() {
    }

    /** The configuration with {@code pekko.cluster.seed-nodes} set from {@value #PATH} when that is given. */
    static Config apply(Config config) {
        if (!config.hasPath(PATH)) {
            return config;
        }
        List<String> seeds = ConfigLists.stringList(config, PATH);
        if (seeds.isEmpty()) {
            return config;
        }
        for (String seed : seeds) {
            if (!seed.startsWith("pekko://")) {
                throw new IllegalArgumentException(PATH + " (WAVESTORE_CLUSTER_SEED_NODES): '" + seed
                        + "' is not a Pekko address like pekko://wavestore@127.0.0.1:25520");
            }
        }
        return ConfigFactory.empty().withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
                .withFallback(config);
    }
}
