package io.wavestore.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** cluster-config/kubernetes.conf, loaded as -Dconfig.file loads it: the store's settings plus cluster bootstrap. */
class KubernetesOverlayTest {

    private static final Path OVERLAY = Path.of("../../cluster-config/kubernetes.conf");

    @Test
    void theOverlayTurnsOnBootstrapThroughTheKubernetesApi() {
        Config config = ConfigFactory.load(ConfigFactory.parseFile(OVERLAY.toFile()));

        ManagementSettings settings = ManagementSettings.from(config);
        assertThat(settings.bootstrap()).isTrue();
        assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"))
                .isEqualTo("kubernetes-api");
        assertThat(config.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"))
                .isEqualTo(2);
        assertThat(config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.port-name"))
                .isEqualTo("management");
        assertThat(config.getString("pekko.discovery.kubernetes-api.pod-label-selector"))
                .isEqualTo("app.kubernetes.io/name=wavestore,app.kubernetes.io/instance=%s");
        assertThat(config.getBoolean("pekko.discovery.kubernetes-api.use-raw-ip")).isTrue();
        assertThat(config.getDuration("pekko.cluster.split-brain-resolver.stable-after")).hasSeconds(10);
        assertThat(config.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("keep-majority");
        // The store's own configuration is still there underneath.
        assertThat(config.getString("pekko.management.health-checks.readiness-checks.wavestore-database"))
                .isEqualTo(DatabaseReadinessCheck.class.getName());
    }

    @Test
    void theSplitBrainResolverTakesAKubernetesLeaseWhenTold() throws ClassNotFoundException {
        Config told = ConfigFactory.load(ConfigFactory.parseMap(Map.of("WAVESTORE_CLUSTER_SBR_STRATEGY", "lease-majority",
                "WAVESTORE_CLUSTER_SBR_LEASE_NAME", "store-wavestore-pekko-sbr")).withFallback(ConfigFactory.parseFile(OVERLAY.toFile())));

        assertThat(told.getString("pekko.cluster.split-brain-resolver.active-strategy")).isEqualTo("lease-majority");
        assertThat(told.getString("pekko.cluster.split-brain-resolver.lease-majority.lease-name"))
                .isEqualTo("store-wavestore-pekko-sbr");
        String lease = told.getString("pekko.cluster.split-brain-resolver.lease-majority.lease-implementation");
        // The implementation named is on the class path (pekko-lease-kubernetes).
        assertThat(Class.forName(told.getString(lease + ".lease-class"))).isNotNull();
    }

    @Test
    void withoutTheOverlayAReplicaNeitherBootstrapsNorListensBeyondLoopback() {
        Config config = ConfigFactory.parseResources("application.conf").withFallback(ConfigFactory.defaultReference())
                .resolve();

        ManagementSettings settings = ManagementSettings.from(config);
        assertThat(settings.bootstrap()).isFalse();
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(config.getStringList("pekko.cluster.seed-nodes")).isEmpty();
    }
}
