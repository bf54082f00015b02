package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.wavestore.bundle.ManifestParser;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.bundle.RuntimeSection;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.helm.ChartSettings;
import io.wavestore.scheduler.helm.HelmRuntime;
import io.wavestore.scheduler.helm.InstanceValues;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole store with the Kubernetes runtime on a real control plane (kube-apiserver, controllers, scheduler,
 * kwok playing the nodes), driven through its HTTP API: each lifecycle step with the resources Kubernetes then
 * holds, readiness and a crash loop with its reason, concurrent commands serialised, a restart rebuilding every
 * instance from the releases, and releases made and removed by hand with Helm showing up and going away.
 */
@ExtendWith({PostgresExtension.class, KubernetesExtension.class})
class KubernetesInstancesIT {

    static final Duration WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private final TestDatabase database;
    private final List<Wavestore> stores = new ArrayList<>();
    private StoreClient client;
    private static int appCounter;

    KubernetesInstancesIT(TestDatabase database) {
        this.database = database;
    }

    @AfterEach
    void stop() throws Exception {
        for (Wavestore store : stores) {
            store.close();
        }
    }

    @Test
    void eachLifecycleStepLeavesTheResourcesKubernetesShouldHold(TestNamespace namespace) throws Exception {
        start(namespace);
        String app = uploadTwoVersions();
        String id = startInstance(app, "1.0.0");

        JsonNode running = client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), WITHIN);
        assertThat(running.get("ready").asBoolean()).isTrue();
        Deployment deployment = namespace.client().apps().deployments().withName(id).get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getMetadata().getLabels()).containsEntry(HelmRuntime.INSTANCE_LABEL, id);
        assertThat(namespace.client().services().withName(id).get()).isNotNull();
        assertThat(releaseSecrets(namespace, id)).isNotEmpty();

        assertThat(post("/api/v1/instances/" + id + "/suspend").statusCode()).isEqualTo(200);
        client.awaitInstance(id, i -> i.get("phase").asText().equals("STOPPED") && i.get("suspended").asBoolean(), WITHIN);
        assertThat(namespace.client().apps().deployments().withName(id).get().getSpec().getReplicas()).isZero();

        // Two commands at once: the instance's actor runs them one after the other, and neither is lost.
        CompletableFuture<HttpResponse<String>> resume = CompletableFuture.supplyAsync(() -> call(() ->
                post("/api/v1/instances/" + id + "/resume")));
        CompletableFuture<HttpResponse<String>> visibility = CompletableFuture.supplyAsync(() -> call(() ->
                client.send("PATCH", "/api/v1/instances/" + id, "{\"visibility\":\"PUBLIC\"}")));
        assertThat(resume.get().statusCode()).as(resume.get().body()).isEqualTo(200);
        assertThat(visibility.get().statusCode()).as(visibility.get().body()).isEqualTo(200);
        JsonNode both = client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), WITHIN);
        assertThat(both.get("suspended").asBoolean()).isFalse();
        assertThat(both.get("visibility").asText()).isEqualTo("PUBLIC");

        JsonNode updated = StoreClient.json(client.send("PATCH", "/api/v1/instances/" + id, "{\"version\":\"2.0.0\"}"));
        assertThat(updated.get("appVersion").asText()).isEqualTo("2.0.0");
        awaitTrue(() -> "2.0.0".equals(namespace.client().apps().deployments().withName(id).get().getMetadata()
                .getAnnotations().get("wavestore.io/app-version")));

        assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
        assertThat(client.get("/api/v1/instances/" + id).statusCode()).isEqualTo(404);
        awaitTrue(() -> releaseSecrets(namespace, id).isEmpty()
                && namespace.client().apps().deployments().withName(id).get() == null);
    }

    @Test
    void aCrashLoopIsReportedWithItsReason(TestNamespace namespace) throws Exception {
        start(namespace);
        String app = uploadTwoVersions();
        String id = startInstance(app, "1.0.0");
        awaitTrue(() -> !pods(namespace, id).isEmpty());
        // kwok's fault stage (testkit) makes the container crash and restart, as a crashing app would.
        for (Pod pod : pods(namespace, id)) {
            namespace.client().pods().withName(pod.getMetadata().getName())
                    .edit(p -> {
                        p.getMetadata().getLabels().put("kwok.wavestore.io/fault", "crash-loop");
                        return p;
                    });
        }
        JsonNode failed = client.awaitInstance(id, i -> i.get("phase").asText().equals("FAILED")
                && "CrashLoopBackOff".equals(i.path("reason").asText()), WITHIN);
        assertThat(failed.get("restarts").asInt()).isPositive();
        assertThat(failed.get("ready").asBoolean()).isFalse();
    }

    @Test
    void aRestartRebuildsEveryInstanceAndReleasesMadeByHandComeAndGo(TestNamespace namespace) throws Exception {
        start(namespace);
        String app = uploadTwoVersions();
        String first = startInstance(app, "1.0.0");
        String second = startInstance(app, "2.0.0");
        client.awaitInstance(first, i -> i.get("phase").asText().equals("RUNNING"), WITHIN);

        stores.remove(0).close();

        // While no store runs, someone installs an instance with Helm itself, and another of an app version
        // that does not exist.
        installByHand(namespace, "i-byhand", app, "1.0.0");
        installByHand(namespace, "i-orphan", app, "9.9.9");

        start(namespace);
        awaitTrue(() -> ids().containsAll(List.of(first, second, "i-byhand")));
        assertThat(StoreClient.json(client.get("/api/v1/instances/" + second)).get("appVersion").asText()).isEqualTo("2.0.0");
        client.awaitInstance("i-byhand", i -> i.get("phase").asText().equals("RUNNING"), WITHIN);

        // The orphan can never run: the store reports it and removes its release.
        awaitTrue(() -> releaseSecrets(namespace, "i-orphan").isEmpty());
        assertThat(ids()).doesNotContain("i-orphan");

        Helm.uninstall("i-byhand").withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig()).call();
        awaitTrue(() -> !ids().contains("i-byhand"));
        assertThat(client.get("/api/v1/instances/i-byhand").statusCode()).isEqualTo(404);
    }

    private void start(TestNamespace namespace) throws Exception {
        Wavestore store = Wavestore.start(TestStoreConfig.kubernetes(dataDir, database, namespace));
        stores.add(store);
        client = new StoreClient(URI.create("http://127.0.0.1:" + store.address().getPort()));
    }

    /** A fresh app name per test: the database is shared by the class. */
    private String uploadTwoVersions() throws Exception {
        String app = "k8s-app-" + (++appCounter);
        for (String version : List.of("1.0.0", "2.0.0")) {
            HttpResponse<String> uploaded = client.upload("/api/v1/apps?visibility=ALL_USERS",
                    WaveBundleBuilder.app(app, version).bytes());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        }
        return app;
    }

    private String startInstance(String app, String version) throws Exception {
        HttpResponse<String> started = client.send("POST", "/api/v1/instances",
                "{\"app\":\"" + app + "\",\"version\":\"" + version + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return StoreClient.json(started).get("id").asText();
    }

    /** What `helm install` by hand would do, with the chart in the repository and values like the store's. */
    private void installByHand(TestNamespace namespace, String id, String app, String version) throws Exception {
        RuntimeSection runtime = new ManifestParser(ManifestPolicy.defaults()).parse("""
                [App]
                Name = "%s"
                Version = "%s"
                Title = "x"
                Description = "x"
                [Runtime]
                Module = "app"
                """.formatted(app, version)).runtime();
        InstanceSpec spec = new InstanceSpec(new InstanceRecord(id, "by-hand", app, version, "developer", true, Visibility.PRIVATE, false,
                Instant.parse("2026-11-25T00:00:00Z"), InstanceRecord.ReleaseState.DEPLOYED, 1), runtime, List.of(), List.of(),
                new InstanceSpec.LauncherSettings("http://store/bundle", "0".repeat(64), "token", "http://store/progress",
                        "/instance/" + id + "/"));
        Path values = Files.createTempFile(dataDir, "values", ".json");
        new ObjectMapper().writeValue(values.toFile(), InstanceValues.of(spec, ChartSettings.defaults()));
        new Helm(Path.of("../../charts/wave-instance").toAbsolutePath().normalize()).install().withName(id)
                .withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig()).withValuesFile(values).call();
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        call(() -> StoreClient.json(client.get("/api/v1/instances"))).forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private static List<Pod> pods(TestNamespace namespace, String id) {
        return namespace.client().pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list().getItems();
    }

    private static List<?> releaseSecrets(TestNamespace namespace, String id) {
        return namespace.client().secrets().withLabel("owner", "helm").withLabel("name", id).list().getItems();
    }

    private HttpResponse<String> post(String path) throws Exception {
        return client.send("POST", path, null);
    }

    private static void awaitTrue(BooleanSupplier condition) {
        Awaitility.await().atMost(WITHIN).pollInterval(Duration.ofMillis(300)).until(condition::getAsBoolean);
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T call(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
