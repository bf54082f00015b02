package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRecord.ReleaseState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceValuesTest {

    @Test
    void putsTheRecordUnderInstanceAndReadsItBack() {
        Map<String, Object> values = InstanceValues.of(TestSpecs.spec("i-abc"), ChartSettings.defaults());

        assertThat(values.get("instance")).isEqualTo(Map.of(
                "id", "i-abc", "appId", "17", "appName", "io.wavestore.hello-wave", "appVersion", "0.1.0",
                "owner", "olga@example.com", "ownerFullUser", true, "visibility", "ALL_USERS", "suspended", false,
                "suspendedReason", "", "createdAt", "2026-11-25T07:00:00Z"));
        assertThat(InstanceValues.record("i-abc", values, ReleaseState.PENDING, 7))
                .contains(TestSpecs.withState(TestSpecs.record("i-abc"), ReleaseState.PENDING, 7));
    }

    @Test
    void whyTheStoreSuspendedItIsKeptWithTheSuspension() {
        InstanceRecord idle = TestSpecs.record("i-abc").withSuspended(true, Optional.of("idle"));
        Map<String, Object> values = InstanceValues.of(TestSpecs.spec(idle, TestSpecs.runtime()), ChartSettings.defaults());

        assertThat(((Map<?, ?>) values.get("instance")).get("suspendedReason")).isEqualTo("idle");
        assertThat(InstanceValues.record("i-abc", values, ReleaseState.DEPLOYED, 3).orElseThrow().suspendedReason())
                .contains("idle");
        InstanceRecord resumed = idle.withSuspended(false, Optional.of("idle"));
        assertThat(resumed.suspendedReason()).as("only a suspended instance has a reason").isEmpty();
        assertThat(InstanceValues.record("i-abc", InstanceValues.of(TestSpecs.spec(resumed, TestSpecs.runtime()),
                ChartSettings.defaults()), ReleaseState.DEPLOYED, 4).orElseThrow().suspendedReason()).isEmpty();
    }

    @Test
    void passesTheLauncherAndTheAppAsTheChartNamesThem() {
        var env = List.of(new EnvVarSpec("A", Optional.of("1"), Optional.empty(), Optional.empty(), false),
                new EnvVarSpec("B", Optional.empty(), Optional.of("s"), Optional.empty(), true));
        var files = List.of(new FileSpec("x.txt", Optional.of("x"), Optional.empty()),
                new FileSpec("/etc/y", Optional.empty(), Optional.of("s"), Optional.of("k")));
        var spec = TestSpecs.spec(TestSpecs.record("i-abc"),
                TestSpecs.withShm(TestSpecs.withGpu(TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "1Gi", "3Gi"), 1, "T4")),
                env, files);

        Map<String, Object> values = InstanceValues.of(spec, ChartSettings.defaults().withStorageClass("ssd"));

        assertThat(values.get("launcher")).isEqualTo(Map.of(
                "bundleUrl", TestSpecs.launcher("i-abc").bundleUrl(), "bundleSha256", TestSpecs.SHA,
                "token", TestSpecs.TOKEN, "progressUrl", TestSpecs.launcher("i-abc").progressUrl(),
                "baseUrl", "/instance/i-abc/", "listenAddress", ":10101"));
        Map<String, Object> app = new HashMap<>();
        app.put("module", "app");
        app.put("mode", "wave");
        app.put("port", null);
        app.put("env", List.of(Map.of("name", "A", "value", "1"), Map.of("name", "B", "secret", "s", "optional", true)));
        app.put("files", List.of(Map.of("path", "x.txt", "value", "x"), Map.of("path", "/etc/y", "secret", "s", "secretKey", "k")));
        assertThat(values.get("app")).isEqualTo(app);
        assertThat(values.get("resources")).isEqualTo(Map.of("requests", Map.of("cpu", "250m", "memory", "256Mi"),
                "limits", Map.of("cpu", "1", "memory", "512Mi")));
        assertThat(values.get("gpu")).isEqualTo(Map.of("count", 1, "type", "T4", "resourceName", "nvidia.com/gpu",
                "typeLabel", "nvidia.com/gpu.product"));
        assertThat(values.get("volumes")).isEqualTo(Map.of("data", Map.of("mountPath", "/data", "size", "1Gi"),
                "resources", Map.of("size", "3Gi"), "storageClass", "ssd"));
        assertThat(values.get("shm")).isEqualTo(Map.of("enabled", true));
    }

    @Test
    void aPythonAppGetsItsPort() {
        var spec = TestSpecs.spec(TestSpecs.record("i-abc"), TestSpecs.python(TestSpecs.runtime(), 8050));

        @SuppressWarnings("unchecked")
        Map<String, Object> app = (Map<String, Object>) InstanceValues.of(spec, ChartSettings.defaults()).get("app");
        assertThat(app).containsEntry("mode", "python").containsEntry("port", 8050);
    }

    @Test
    void valuesWithoutACompleteRecordOrOfAnotherNameAreNoInstance() {
        Map<String, Object> values = InstanceValues.of(TestSpecs.spec("i-abc"), ChartSettings.defaults());

        assertThat(InstanceValues.record("i-other", values, ReleaseState.DEPLOYED, 1)).isEmpty();
        assertThat(InstanceValues.record("i-abc", Map.of(), ReleaseState.DEPLOYED, 1)).isEmpty();
        assertThat(InstanceValues.record("i-abc", Map.of("instance", Map.of("id", "i-abc", "appId", "1")),
                ReleaseState.DEPLOYED, 1)).isEmpty();
        assertThat(InstanceValues.record("i-abc", Map.of("instance", Map.of("appId", "1", "appName", "a",
                "appVersion", "1", "owner", "o", "visibility", "SOMETIMES", "createdAt", "2026-01-01T00:00:00Z")),
                ReleaseState.DEPLOYED, 1)).isEmpty();
    }

    @Test
    void anIdLeftEmptyIsTheReleaseNameAndAnOffsetTimeIsAnInstant() {
        Map<String, Object> instance = Map.of("id", "", "appId", "1", "appName", "a", "appVersion", "1",
                "owner", "o", "visibility", "PUBLIC", "suspended", true, "createdAt", "2026-01-01T02:00:00+02:00");

        InstanceRecord record = InstanceValues.record("i-hand", Map.of("instance", instance), ReleaseState.DEPLOYED, 2)
                .orElseThrow();

        assertThat(record.instanceId()).isEqualTo("i-hand");
        assertThat(record.visibility()).isEqualTo(Visibility.PUBLIC);
        assertThat(record.suspended()).isTrue();
        assertThat(record.ownerFullUser()).as("a release that does not say counts as a visitor's").isFalse();
        assertThat(record.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void labelValuesAreKeptWhenValidAndHashedWhenNot() {
        assertThat(LabelValues.of("io.wavestore.hello-wave")).isEqualTo("io.wavestore.hello-wave");
        assertThat(LabelValues.of("")).isEmpty();
        assertThat(LabelValues.of("olga@example.com"))
                .isEqualTo("h-" + sha256("olga@example.com").substring(0, 40));
        assertThat(LabelValues.of("x".repeat(64))).startsWith("h-").hasSize(42);
        assertThat(LabelValues.of("-leading")).startsWith("h-");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
