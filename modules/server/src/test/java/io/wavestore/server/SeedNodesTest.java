package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedNodesTest {

    private static Config config(String seeds) {
        return ConfigFactory.parseMap(Map.of(SeedNodes.PATH, seeds, "pekko.cluster.seed-nodes", java.util.List.of()));
    }

    @Test
    void aCommaSeparatedListBecomesPekkosSeedNodes() {
        Config config = SeedNodes.apply(config(" pekko://wavestore@127.0.0.1:25520, pekko://wavestore@127.0.0.1:25521 ,"));

        assertThat(config.getStringList("pekko.cluster.seed-nodes"))
                .containsExactly("pekko://wavestore@127.0.0.1:25520", "pekko://wavestore@127.0.0.1:25521");
    }

    @Test
    void noSeedNodesLeaveTheConfigurationAsItIs() {
        assertThat(SeedNodes.apply(config("")).getStringList("pekko.cluster.seed-nodes")).isEmpty();
        assertThat(SeedNodes.apply(ConfigFactory.empty())).isEqualTo(ConfigFactory.empty());
    }

    @Test
    void somethingThatIsNotAPekkoAddressIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> SeedNodes.apply(config("127.0.0.1:25520")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WAVESTORE_CLUSTER_SEED_NODES")
                .hasMessageContaining("'127.0.0.1:25520'");
    }
}
