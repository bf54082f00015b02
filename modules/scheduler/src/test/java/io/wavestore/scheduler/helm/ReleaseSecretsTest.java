package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.wavestore.scheduler.runtime.InstanceRecord.ReleaseState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ReleaseSecretsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void decodesAReleaseAsHelmStoresIt() throws IOException {
        Map<String, Object> config = InstanceValues.of(TestSpecs.spec("i-abc"), ChartSettings.defaults());
        Secret secret = releaseSecret("i-abc", 3, "deployed", "wave-instance", config, true);

        HelmRelease release = ReleaseSecrets.decode(secret).orElseThrow();

        assertThat(release.name()).isEqualTo("i-abc");
        assertThat(release.version()).isEqualTo(3);
        assertThat(release.status()).isEqualTo("deployed");
        assertThat(release.chartName()).isEqualTo("wave-instance");
        assertThat(release.config()).isEqualTo(JSON.readValue(JSON.writeValueAsBytes(config), Map.class));
        assertThat(release.record()).contains(TestSpecs.withState(TestSpecs.record("i-abc"), ReleaseState.DEPLOYED, 3));
    }

    @Test
    void decodesAReleaseStoredWithoutGzip() throws IOException {
        Secret secret = releaseSecret("i-abc", 1, "failed", "wave-instance",
                InstanceValues.of(TestSpecs.spec("i-abc"), ChartSettings.defaults()), false);

        assertThat(ReleaseSecrets.decode(secret).flatMap(HelmRelease::record).map(r -> r.releaseState()))
                .contains(ReleaseState.FAILED);
    }

    @Test
    void mapsHelmStatusesToReleaseStates() {
        assertThat(state("deployed")).contains(ReleaseState.DEPLOYED);
        assertThat(state("pending-install")).contains(ReleaseState.PENDING);
        assertThat(state("pending-upgrade")).contains(ReleaseState.PENDING);
        assertThat(state("pending-rollback")).contains(ReleaseState.PENDING);
        assertThat(state("failed")).contains(ReleaseState.FAILED);
        assertThat(state("uninstalling")).contains(ReleaseState.UNINSTALLING);
        assertThat(state("superseded")).isEmpty();
        assertThat(state("uninstalled")).isEmpty();
    }

    @Test
    void aReleaseOfAnotherChartIsNoInstanceWhateverItsValues() throws IOException {
        Secret secret = releaseSecret("i-abc", 1, "deployed", "other",
                InstanceValues.of(TestSpecs.spec("i-abc"), ChartSettings.defaults()), true);

        assertThat(ReleaseSecrets.decode(secret).orElseThrow().record()).isEmpty();
    }

    @Test
    void picksTheNewestRevisionOfEachReleaseByItsLabels() throws IOException {
        Map<String, Object> values = Map.of();
        List<Secret> secrets = List.of(
                releaseSecret("a", 1, "superseded", "wave-instance", values, true),
                releaseSecret("a", 10, "deployed", "wave-instance", values, true),
                releaseSecret("a", 9, "superseded", "wave-instance", values, true),
                releaseSecret("b", 2, "failed", "wave-instance", values, true),
                new SecretBuilder().withNewMetadata().withName("not-helm").addToLabels("name", "c").endMetadata()
                        .withType("Opaque").build());

        Map<String, Secret> newest = ReleaseSecrets.newestByName(secrets);

        assertThat(newest).containsOnlyKeys("a", "b");
        assertThat(ReleaseSecrets.version(newest.get("a"))).isEqualTo(10);
        assertThat(ReleaseSecrets.version(newest.get("b"))).isEqualTo(2);
    }

    @Test
    void aSecretThatIsNotAReleaseOrIsDamagedDecodesToNothing() throws IOException {
        Secret damaged = new SecretBuilder(releaseSecret("x", 1, "deployed", "wave-instance", Map.of(), true))
                .withData(Map.of("release", Base64.getEncoder().encodeToString("not base64 ~~".getBytes(StandardCharsets.UTF_8))))
                .build();
        Secret opaque = new SecretBuilder().withNewMetadata().withName("x").endMetadata().withType("Opaque").build();

        assertThat(ReleaseSecrets.decode(damaged)).isEmpty();
        assertThat(ReleaseSecrets.decode(opaque)).isEmpty();
    }

    private static Optional<ReleaseState> state(String status) {
        return new HelmRelease("x", 1, status, "wave-instance", Map.of()).state();
    }

    /** A release Secret the way Helm's Secret driver writes it (with some of the fields this code skips). */
    static Secret releaseSecret(String name, int version, String status, String chart, Map<String, Object> config,
                                boolean gzip) throws IOException {
        Map<String, Object> release = Map.of(
                "name", name,
                "namespace", "apps",
                "version", version,
                "info", Map.of("first_deployed", "2026-11-25T07:00:00.123456789Z", "status", status,
                        "description", "Install complete"),
                "chart", Map.of("metadata", Map.of("name", chart, "version", "0.1.0", "apiVersion", "v2"),
                        "templates", List.of(Map.of("name", "templates/x.yaml", "data", "YXBpVmVyc2lvbjogdjE=")),
                        "values", Map.of("image", Map.of("repository", "x"))),
                "config", config,
                "manifest", "---\napiVersion: v1\nkind: Service\n");
        byte[] json = JSON.writeValueAsBytes(release);
        byte[] encoded = json;
        if (gzip) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(json);
            }
            encoded = out.toByteArray();
        }
        String helmEncoded = Base64.getEncoder().encodeToString(encoded);
        return new SecretBuilder()
                .withNewMetadata().withName("sh.helm.release.v1." + name + ".v" + version)
                .addToLabels(Map.of("owner", "helm", "name", name, "status", status, "version", Integer.toString(version)))
                .endMetadata()
                .withType("helm.sh/release.v1")
                .withData(Map.of("release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.US_ASCII))))
                .build();
    }
}
