package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceHealth.Phase;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRecord.ReleaseState;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import io.wavestore.testkit.kubernetes.KubernetesControlPlane;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.KwokStages;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.Closeable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HelmRuntime against a real API server, controller manager and scheduler, with kwok playing the nodes. */
@ExtendWith(KubernetesExtension.class)
class HelmRuntimeIT {

    @Test
    void installsAnInstanceThatRunsIsListedWithEveryFieldAndLogs(TestNamespace namespace) throws Exception {
        String id = "i-runs";
        try (HelmRuntime runtime = runtime(namespace, ChartSettings.defaults())) {
            runtime.install(TestSpecs.spec(id));

            KubernetesClient client = namespace.client();
            Secret release = client.secrets().withName("sh.helm.release.v1." + id + ".v1").get();
            assertThat(release.getType()).isEqualTo("helm.sh/release.v1");
            assertThat(release.getMetadata().getLabels()).containsEntry("owner", "helm").containsEntry("name", id);
            InstanceRecord expected = TestSpecs.withState(TestSpecs.record(id), ReleaseState.DEPLOYED, 1);
            assertThat(runtime.list()).containsExactly(expected);
            assertThat(runtime.get(id)).contains(expected);
            assertThat(runtime.get("i-nothing")).isEmpty();

            InstanceHealth health = Await.until("the instance to run", () -> runtime.health(id), h -> h.phase() == Phase.RUNNING);
            assertThat(health.ready()).isTrue();
            assertThat(health.restarts()).isZero();
            assertThat(health.address()).contains(id + "." + namespace.name() + ".svc.cluster.local:10101");
            assertThat(client.services().withName(id).get().getSpec().getPorts().get(0).getPort()).isEqualTo(10101);
            Deployment deployment = client.apps().deployments().withName(id).get();
            assertThat(Serialization.asYaml(deployment.getSpec())).doesNotContain(TestSpecs.TOKEN);
            assertThat(runtime.describe()).contains(namespace.name()).contains("wave-instance");
            String line = KubernetesControlPlane.CONTAINER_LOG.strip();
            try (InstanceRuntime.LogStream log = runtime.logs(id, 10, false)) {
                assertThat(log.nextLine()).contains(line);
                assertThat(log.nextLine()).isEmpty();
            }
            try (InstanceRuntime.LogStream log = runtime.logs(id, 10, true)) {
                assertThat(log.nextLine()).contains(line);
            }
        }
    }

    @Test
    void suspendsResumesUpgradesAndUninstallsKeepingVolumesUntilTheEnd(TestNamespace namespace) {
        String id = "i-lifecycle";
        String storageClass = "manual-" + namespace.name();
        KubernetesClient client = namespace.client();
        PersistentVolume volume = client.persistentVolumes().resource(new PersistentVolumeBuilder()
                .withNewMetadata().withName(storageClass).endMetadata()
                .withNewSpec().withStorageClassName(storageClass).withAccessModes("ReadWriteOnce")
                .withCapacity(Map.of("storage", new Quantity("1Gi"))).withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath().withPath("/tmp/" + storageClass).endHostPath().endSpec().build()).create();
        try (HelmRuntime runtime = runtime(namespace, ChartSettings.defaults().withStorageClass(storageClass))) {
            InstanceRecord record = TestSpecs.record(id);
            var runtimeSection = TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "1Gi", null);
            runtime.install(TestSpecs.spec(record, runtimeSection));
            awaitPhase(runtime, id, Phase.RUNNING);

            record = TestSpecs.suspended(record, true);
            runtime.upgrade(TestSpecs.spec(record, runtimeSection));
            assertThat(client.apps().deployments().withName(id).get().getSpec().getReplicas()).isZero();
            assertThat(awaitPhase(runtime, id, Phase.STOPPED).address()).isEmpty();
            assertThat(client.persistentVolumeClaims().withName(id + "-data").get().getStatus().getPhase()).isEqualTo("Bound");
            assertThat(runtime.get(id)).contains(TestSpecs.withState(record, ReleaseState.DEPLOYED, 2));

            record = TestSpecs.suspended(record, false);
            runtime.upgrade(TestSpecs.spec(record, runtimeSection));
            awaitPhase(runtime, id, Phase.RUNNING);
            assertThat(runtime.get(id).orElseThrow().suspended()).isFalse();

            record = TestSpecs.version(record, "18", "0.2.0");
            runtime.upgrade(TestSpecs.spec(record, runtimeSection));
            assertThat(runtime.list()).containsExactly(TestSpecs.withState(record, ReleaseState.DEPLOYED, 4));
            assertThat(client.apps().deployments().withName(id).get().getMetadata().getAnnotations())
                    .containsEntry("wavestore.io/app-version", "0.2.0");
            awaitPhase(runtime, id, Phase.RUNNING);

            runtime.uninstall(id);
            assertThat(runtime.list()).isEmpty();
            assertThat(runtime.get(id)).isEmpty();
            assertThat(client.secrets().withLabel("owner", "helm").list().getItems()).isEmpty();
            assertThat(client.apps().deployments().withName(id).get()).isNull();
            Await.until("the volume claim to go", () -> client.persistentVolumeClaims().list().getItems(), List::isEmpty);
            awaitPhase(runtime, id, Phase.STOPPED);
            runtime.uninstall(id);
        } finally {
            client.persistentVolumes().resource(volume).delete();
        }
    }

    @Test
    void refusesToInstallTwiceAndToUpgradeWhatIsNotThere(TestNamespace namespace) {
        try (HelmRuntime runtime = runtime(namespace, ChartSettings.defaults())) {
            runtime.install(TestSpecs.spec("i-once"));

            assertThatThrownBy(() -> runtime.install(TestSpecs.spec("i-once")))
                    .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.ALREADY_EXISTS));
            assertThatThrownBy(() -> runtime.upgrade(TestSpecs.spec("i-never")))
                    .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.NOT_FOUND));
            runtime.uninstall("i-never");
            assertThat(runtime.list()).extracting(InstanceRecord::instanceId).containsExactly("i-once");
            assertThat(runtime.health("i-never").phase()).isEqualTo(Phase.STOPPED);
            assertThatThrownBy(() -> runtime.logs("i-never", 10, false))
                    .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.NOT_FOUND));
        }
    }

    @Test
    @SuppressWarnings("try")
    void seesReleasesInstalledAndRemovedWithHelmItself(TestNamespace namespace) throws Exception {
        String id = "i-by-hand";
        RecordingEvents events = new RecordingEvents();
        try (HelmRuntime runtime = runtime(namespace, ChartSettings.defaults());
             Closeable watch = runtime.watch(events)) {
            assertThat(events.events).isEmpty();
            Path values = Files.createTempFile("by-hand-", ".json");
            try {
                new ObjectMapper().writeValue(values.toFile(), InstanceValues.of(TestSpecs.spec(id), ChartSettings.defaults()));
                new Helm(runtime.chartDir()).install().withName(id).withNamespace(namespace.name())
                        .withKubeConfig(namespace.kubeconfig()).withValuesFile(values).call();
            } finally {
                Files.delete(values);
            }
            Path other = Path.of(HelmRuntimeIT.class.getResource("/charts/other").toURI());
            new Helm(other).install().withName("i-other").withNamespace(namespace.name())
                    .withKubeConfig(namespace.kubeconfig()).call();

            InstanceRecord expected = TestSpecs.withState(TestSpecs.record(id), ReleaseState.DEPLOYED, 1);
            events.await(RecordingEvents.Changed.class, e -> e.record().equals(expected));
            assertThat(runtime.list()).containsExactly(expected);
            events.await(RecordingEvents.Health.class, e -> e.instanceId().equals(id) && e.health().phase() == Phase.RUNNING);

            Helm.uninstall(id).withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig()).call();
            events.await(RecordingEvents.Removed.class, e -> e.instanceId().equals(id));
            assertThat(runtime.list()).isEmpty();
            events.await(RecordingEvents.Health.class, e -> e.instanceId().equals(id) && e.health().phase() == Phase.STOPPED);
            assertThat(events.events).noneMatch(e -> e.instanceId().equals("i-other"));
            // Each change once, as Helm stores them: pending, deployed, uninstalling; then gone.
            assertThat(events.all(RecordingEvents.Changed.class, id)).extracting(RecordingEvents.Changed::record)
                    .containsExactly(TestSpecs.withState(expected, ReleaseState.PENDING, 1), expected,
                            TestSpecs.withState(expected, ReleaseState.UNINSTALLING, 1));
            assertThat(events.all(RecordingEvents.Removed.class, id)).hasSize(1);
        }
    }

    @Test
    @SuppressWarnings("try")
    void reportsACrashLoopingInstanceAsFailedThroughTheWatch(TestNamespace namespace) throws Exception {
        String id = "i-crashes";
        RecordingEvents events = new RecordingEvents();
        ChartSettings crashing = ChartSettings.defaults()
                .withPodLabels(Map.of(KwokStages.FAULT_LABEL, KwokStages.CRASH_LOOP))
                .withPodAnnotations(Map.of(KwokStages.RESTART_DELAY_ANNOTATION, "300ms"));
        try (HelmRuntime runtime = runtime(namespace, crashing); Closeable watch = runtime.watch(events)) {
            runtime.install(TestSpecs.spec(id));

            InstanceHealth reported = events.await(RecordingEvents.Health.class, e -> e.instanceId().equals(id)
                    && e.health().phase() == Phase.FAILED && e.health().restarts() > 0).health();
            assertThat(reported.reason()).contains("CrashLoopBackOff");
            assertThat(reported.exitCode()).contains(1);
            assertThat(reported.ready()).isFalse();

            InstanceHealth now = runtime.health(id);
            assertThat(now.phase()).isEqualTo(Phase.FAILED);
            assertThat(now.reason()).contains("CrashLoopBackOff");
            assertThat(now.message()).hasValueSatisfying(m -> assertThat(m).contains("back-off"));
            Await.until("a BackOff event", () -> runtime.health(id).events(),
                    list -> list.stream().anyMatch(e -> e.reason().equals("BackOff") && e.type().equals("Warning")));
            assertThat(runtime.health(id).events()).hasSizeLessThanOrEqualTo(PodHealth.EVENTS);
        }
    }

    @Test
    void anInstanceAskingForAGpuNobodyHasIsPendingUnschedulable(TestNamespace namespace) {
        String id = "i-gpu";
        try (HelmRuntime runtime = runtime(namespace, ChartSettings.defaults())) {
            runtime.install(TestSpecs.spec(TestSpecs.record(id), TestSpecs.withGpu(TestSpecs.runtime(), 1, "NVIDIA-H100")));

            InstanceHealth health = awaitPhase(runtime, id, Phase.PENDING);
            Await.until("the scheduler's verdict", () -> runtime.health(id), h -> h.reason().isPresent());
            health = runtime.health(id);
            assertThat(health.reason()).contains("Unschedulable");
            assertThat(health.message()).hasValueSatisfying(m -> assertThat(m).contains("node"));
        }
    }

    @Test
    void aFailedUpgradeLeavesAFailedReleaseAndABadValueChangesNothing(TestNamespace namespace) {
        String id = "i-fails";
        try (HelmRuntime runtime = runtime(namespace, ChartSettings.defaults().withStorageClass("none-" + namespace.name()))) {
            InstanceRecord record = TestSpecs.record(id);
            runtime.install(TestSpecs.spec(record, TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "2Gi", null)));

            // values.schema.json refuses it before Helm changes anything.
            assertThatThrownBy(() -> runtime.upgrade(TestSpecs.spec(record, TestSpecs.withMemoryLimit(TestSpecs.runtime(), "a lot"))))
                    .isInstanceOfSatisfying(RuntimeFailure.class, f -> {
                        assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.FAILED);
                        assertThat(f.getMessage()).contains("/resources/limits/memory");
                    });
            assertThat(runtime.get(id)).contains(TestSpecs.withState(record, ReleaseState.DEPLOYED, 1));

            // A volume claim cannot shrink: the API server refuses the change half-way through Helm's upgrade.
            assertThatThrownBy(() -> runtime.upgrade(TestSpecs.spec(record, TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "1Gi", null))))
                    .isInstanceOfSatisfying(RuntimeFailure.class, f -> assertThat(f.kind()).isEqualTo(RuntimeFailure.Kind.FAILED));
            assertThat(runtime.list()).containsExactly(TestSpecs.withState(record, ReleaseState.FAILED, 2));

            runtime.uninstall(id);
            assertThat(runtime.list()).isEmpty();
        }
    }

    private static HelmRuntime runtime(TestNamespace namespace, ChartSettings settings) {
        return new HelmRuntime(namespace.client(), Optional.of(namespace.kubeconfig()), namespace.name(), settings);
    }

    private static InstanceHealth awaitPhase(InstanceRuntime runtime, String id, Phase phase) {
        return Await.until(id + " to be " + phase, () -> runtime.health(id), h -> h.phase() == phase);
    }
}
