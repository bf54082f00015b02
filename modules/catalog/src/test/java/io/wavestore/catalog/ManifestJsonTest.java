package io.wavestore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.AppManifest;
import io.wavestore.bundle.ManifestParser;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.testkit.WaveBundleBuilder;
import org.junit.jupiter.api.Test;

class ManifestJsonTest {

    @Test
    void aStoredManifestReadsBackEqual() throws Exception {
        AppManifest manifest = new ManifestParser(ManifestPolicy.defaults()).parse(
                WaveBundleBuilder.appSection("hello", "1.0.0") + """
                InstanceTimeout = "2h"
                [Runtime]
                Module = "app"
                MemoryLimit = "512Mi"
                GPUCount = 1
                VolumeMount = "/data"
                VolumeSize = "1Gi"
                EnableSHM = true
                RoutingMode = "DOMAIN"
                [[Env]]
                Name = "GREETING"
                Value = "hi"
                [[Env]]
                Name = "TOKEN"
                Secret = "tokens"
                SecretKey = "api"
                Optional = true
                [[File]]
                Path = "/etc/app/config.yaml"
                Value = "a: 1"
                """);
        assertThat(ManifestJson.read(ManifestJson.write(manifest))).isEqualTo(manifest);
    }
}
