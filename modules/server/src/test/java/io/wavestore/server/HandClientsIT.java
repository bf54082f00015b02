package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavestore.scheduler.helm.HelmRuntime;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import io.wavestore.testkit.kubernetes.HandClients;
import io.wavestore.testkit.kubernetes.HandClientsExtension;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients nobody here wrote, used by hand (issues 15 and 20): the {@code helm} CLI and {@code kubectl}, built from
 * source by modules/testkit/clients/build.sh and run as processes, install and uninstall a release, delete a pod and
 * scale a Deployment to zero, while the store watches. The store sees each exactly as it sees its own changes: the
 * release in its instance list and the activity history (one event each, "observed in Kubernetes"), the pod's
 * replacement, the instance stopped (phase STOPPED; its {@code suspended} flag, which the store keeps in the release's
 * values, stays false after a scale by hand).
 *
 * <p>On the kwok control plane: the API server, the Deployment and ReplicaSet controllers and the scheduler are real,
 * only the kubelet is played by kwok, so everything here is the store's view of what Kubernetes holds. That real pods
 * and containers go the same way is {@link RealNodeHandClientsIT}'s part.
 */
@ExtendWith({PostgresExtension.class, KubernetesExtension.class, HandClientsExtension.class})
class HandClientsIT {

    static final Duration WITHIN = Duration.ofSeconds(90);
    /** The history is read through a projection, behind the journal; on a loaded machine by up to minutes. */
    static final Duration HISTORY_WITHIN = Duration.ofMinutes(3);
    static final Path CHART = Path.of("../../charts/wave-instance").toAbsolutePath().normalize();

    @TempDir
    Path dataDir;

    @Test
    void helmAndKubectlByHandAreSeenAsTheStoresOwnChanges(TestDatabase database, TestNamespace namespace, HandClients by)
            throws Exception {
        try (Wavestore store = Wavestore.start(TestStoreConfig.kubernetes(dataDir, database, namespace))) {
            StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + store.address().getPort()));
            HttpResponse<String> uploaded = client.upload("/api/v1/apps?visibility=ALL_USERS",
                    WaveBundleBuilder.app("by-hand", "1.0.0").bytes());
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
            String id = "i-byhand";

            // helm install, with the values the store's releases carry (charts/wave-instance/values.yaml)
            by.helm(namespace, "install", id, CHART.toString(),
                    "--set", "instance.appId=" + StoreClient.json(uploaded).get("id").asText(),
                    "--set", "instance.appName=by-hand", "--set", "instance.appVersion=1.0.0",
                    "--set", "instance.owner=developer", "--set", "instance.createdAt=2026-12-07T00:00:00Z",
                    "--set", "launcher.bundleUrl=http://store.invalid/bundle", "--set", "launcher.bundleSha256=" + "0".repeat(64),
                    "--set", "launcher.token=made-by-hand").orFail();
            JsonNode running = client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText())
                    && i.path("ready").asBoolean(), WITHIN);
            assertThat(running.get("suspended").asBoolean()).isFalse();
            assertThat(running.get("owner").asText()).isEqualTo("developer");
            assertThat(ids(client)).contains(id);
            assertThat(by.helm(namespace, "list", "--short").orFail().output().lines()).contains(id);
            assertObservedOnce(client, id, "RELEASE_INSTALLED_OUTSIDE");

            // kubectl delete pod: the Deployment makes another, and the store follows it to RUNNING again
            String first = onlyPod(namespace, id).getMetadata().getName();
            by.kubectl(namespace, "delete", "pod", first, "--wait=true").orFail();
            String second = await().atMost(WITHIN).until(() -> podNames(namespace, id),
                    names -> names.size() == 1 && !names.contains(first)).get(0);
            JsonNode replaced = client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText())
                    && i.path("ready").asBoolean() && eventsNamePod(i, second), WITHIN);
            assertThat(eventsNamePod(replaced, first)).as("events of the deleted pod are gone: %s", replaced).isFalse();

            // kubectl scale --replicas=0: no pod, the instance STOPPED and not ready, as after the store's own suspend.
            // Unlike it, `suspended` stays false: the store reads that flag from the release's values (instance.suspended,
            // which its suspend sets with helm upgrade), and a Deployment scaled by hand leaves the release as it was.
            by.kubectl(namespace, "scale", "deployment/" + id, "--replicas=0").orFail();
            JsonNode stopped = client.awaitInstance(id, i -> "STOPPED".equals(i.path("phase").asText()), WITHIN);
            assertThat(stopped.get("ready").asBoolean()).isFalse();
            await().atMost(WITHIN).until(() -> podNames(namespace, id).isEmpty());
            // and kubectl scale --replicas=1 brings it back, as the store's resume would
            by.kubectl(namespace, "scale", "deployment/" + id, "--replicas=1").orFail();
            client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText()) && i.path("ready").asBoolean(), WITHIN);

            // helm uninstall: gone from the store, and recorded once
            by.helm(namespace, "uninstall", id, "--wait").orFail();
            await().atMost(WITHIN).until(() -> !ids(client).contains(id));
            assertThat(client.get("/api/v1/instances/" + id).statusCode()).isEqualTo(404);
            assertObservedOnce(client, id, "RELEASE_REMOVED_OUTSIDE");
            assertObservedOnce(client, id, "RELEASE_INSTALLED_OUTSIDE");
        }
    }

    /**
     * Waits until the instance's history has exactly one event of {@code kind}, by "observed in Kubernetes" (the
     * projection makes the history readable a moment after the event), and no other of that kind.
     */
    static void assertObservedOnce(StoreClient client, String id, String kind) {
        await().atMost(HISTORY_WITHIN).untilAsserted(() -> assertThat(history(client, id))
                .filteredOn(e -> e.startsWith(kind + " "))
                .containsExactly(kind + " by observed in Kubernetes"));
    }

    /** The instance's history as "KIND by actor", newest first. */
    static List<String> history(StoreClient client, String id) throws Exception {
        List<String> events = new ArrayList<>();
        StoreClient.json(client.get("/api/v1/activity?limit=500&instance=" + id)).get("items")
                .forEach(e -> events.add(e.get("kind").asText() + " by " + e.get("actor").asText()));
        return events;
    }

    static List<String> ids(StoreClient client) throws Exception {
        List<String> ids = new ArrayList<>();
        StoreClient.json(client.get("/api/v1/instances")).forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    static List<String> podNames(TestNamespace namespace, String id) {
        return namespace.client().pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).toList();
    }

    static Pod onlyPod(TestNamespace namespace, String id) {
        List<Pod> pods = namespace.client().pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list().getItems();
        assertThat(pods).hasSize(1);
        return pods.get(0);
    }

    /** Whether the instance's events (its current pod's, as the store reports them) name {@code pod}. */
    static boolean eventsNamePod(JsonNode instance, String pod) {
        for (JsonNode event : instance.path("events")) {
            if (event.path("message").asText().contains(pod)) {
                return true;
            }
        }
        return false;
    }
}
