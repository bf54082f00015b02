package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.scheduler.helm.HelmRuntime;
import org.junit.jupiter.api.Test;

class RuntimeFactoryTest {

    @Test
    void theServiceAddressSettingNamesHowTheRouterReachesInstances() {
        assertThat(RuntimeFactory.serviceAddressing("dns")).isEqualTo(HelmRuntime.ServiceAddressing.DNS);
        assertThat(RuntimeFactory.serviceAddressing("cluster-ip")).isEqualTo(HelmRuntime.ServiceAddressing.CLUSTER_IP);
    }

    @Test
    void anUnknownServiceAddressIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> RuntimeFactory.serviceAddressing("ClusterIP"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wavestore.scheduler.kubernetes.service-address")
                .hasMessageContaining("ClusterIP");
    }
}
