package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.kubernetes.HandClients;
import io.wavestore.testkit.kubernetes.HandClientsExtension;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.KubernetesNode;
import io.wavestore.testkit.kubernetes.KubernetesNodeExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HandClientsIT} on a real node (issue 15): what {@code kubectl} and the {@code helm} CLI do by hand to an
 * instance of hello-wave happens to real pods and containers (a kubelet, containerd), and the store follows. A deleted
 * pod is replaced by a new container that runs the launcher again; a Deployment scaled to zero leaves no pod; a
 * release uninstalled and installed again from its own values ({@code helm get values}, as an operator re-creates a
 * release) runs again, each change once in the history as observed in Kubernetes.
 */
@ExtendWith({PostgresExtension.class, KubernetesExtension.class, KubernetesNodeExtension.class, HandClientsExtension.class})
@KubernetesNodeExtension.Images("instance")
class RealNodeHandClientsIT {

    /** Pip downloads h2o-wave in the pod (or the node's dependency cache has it): minutes on a slow network. */
    static final Duration START = Duration.ofMinutes(6);

    @TempDir
    Path dataDir;

    private final TestDatabase database;

    RealNodeHandClientsIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void helmAndKubectlByHandChangeRealPodsAndTheStoreFollows(TestNamespace namespace, HandClients by) throws Exception {
        int port = RealNodeInstancesIT.freeGatewayPort();
        try (Wavestore store = Wavestore.start(RealNodeInstancesIT.config(dataDir, database, namespace, port))) {
            StoreClient client = new StoreClient(URI.create("http://" + KubernetesNode.GATEWAY + ":" + port));
            Path wave = dataDir.resolve("hello-wave.wave");
            BundlePacker.pack(Path.of("../../examples/hello-wave").toAbsolutePath().normalize(), wave);
            assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", wave).statusCode()).isEqualTo(201);
            String id = StoreClient.json(client.send("POST", "/api/v1/instances",
                    "{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}")).get("id").asText();
            client.awaitInstance(id, RealNodeHandClientsIT::runningAndReady, START);
            Pod first = HandClientsIT.onlyPod(namespace, id);
            String firstContainer = containerId(first);
            assertThat(first.getSpec().getNodeName()).isEqualTo(KubernetesNode.NAME);

            // kubectl delete pod: the kubelet stops the container (SIGTERM to the launcher), the Deployment makes a
            // new pod, containerd runs a new container, the launcher starts the app again
            by.kubectl(namespace, "delete", "pod", first.getMetadata().getName(), "--wait=true").orFail();
            client.awaitInstance(id, RealNodeHandClientsIT::runningAndReady, START);
            Pod second = HandClientsIT.onlyPod(namespace, id);
            assertThat(second.getMetadata().getName()).isNotEqualTo(first.getMetadata().getName());
            assertThat(containerId(second)).startsWith("containerd://").isNotEqualTo(firstContainer);

            // kubectl scale --replicas=0: the real container stops, no pod is left, the instance stopped
            by.kubectl(namespace, "scale", "deployment/" + id, "--replicas=0").orFail();
            await().atMost(START).until(() -> HandClientsIT.podNames(namespace, id).isEmpty()
                    && namespace.client().pods().withName(second.getMetadata().getName()).get() == null);
            client.awaitInstance(id, i -> "STOPPED".equals(i.path("phase").asText()), START);

            // helm uninstall, then helm install of the same release from its own values: a real pod runs again
            Path values = dataDir.resolve("values.yaml");
            Files.writeString(values, by.helm(namespace, "get", "values", id, "--output", "yaml").orFail().output());
            by.helm(namespace, "uninstall", id, "--wait").orFail();
            await().atMost(START).until(() -> !HandClientsIT.ids(client).contains(id));
            by.helm(namespace, "install", id, HandClientsIT.CHART.toString(), "--values", values.toString()).orFail();
            JsonNode again = client.awaitInstance(id, RealNodeHandClientsIT::runningAndReady, START);
            assertThat(again.get("appVersion").asText()).isEqualTo("0.1.0");
            HandClientsIT.assertObservedOnce(client, id, "RELEASE_REMOVED_OUTSIDE");
            HandClientsIT.assertObservedOnce(client, id, "RELEASE_INSTALLED_OUTSIDE");

            assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofMinutes(1)).until(() -> HandClientsIT.podNames(namespace, id).isEmpty()
                    && namespace.client().apps().deployments().withName(id).get() == null);
        }
    }

    private static boolean runningAndReady(JsonNode instance) {
        return "RUNNING".equals(instance.path("phase").asText()) && instance.path("ready").asBoolean();
    }

    private static String containerId(Pod pod) {
        return pod.getStatus().getContainerStatuses().get(0).getContainerID();
    }
}
