package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.scheduler.helm.HelmRuntime;
import io.wavestore.testkit.browser.HeadlessChromium;
import io.wavestore.testkit.kubernetes.KubernetesNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** A hello-wave instance's life on a real node, through the store's API, its pods and a browser. */
final class RealPodLifecycle {

    private static final Path HELLO_WAVE = Path.of("../../examples/hello-wave").toAbsolutePath().normalize();

    private RealPodLifecycle() {
    }

    /**
     * Uploads examples/hello-wave (packed into {@code dir}), starts an instance and waits until it is RUNNING and ready;
     * prints how long that took ({@code where} says what ran the store). Answers the start's reply.
     */
    static JsonNode startHelloWave(StoreClient client, Path dir, String where, Duration within) throws Exception {
        Path wave = dir.resolve("hello-wave.wave");
        BundlePacker.pack(HELLO_WAVE, wave);
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", wave).statusCode()).isEqualTo(201);

        long asked = System.nanoTime();
        JsonNode started = StoreClient.json(client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}"));
        String id = started.get("id").asText();
        client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText()) && i.path("ready").asBoolean(), within);
        System.out.printf("real node: instance %s from POST to RUNNING and ready in %d ms (%s)%n", id,
                (System.nanoTime() - asked) / 1_000_000, where);
        return started;
    }

    /** The instance's pod, checked to be a container that the real node's containerd runs. */
    static Pod realPod(KubernetesClient kubernetes, String id) {
        Pod pod = kubernetes.pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list().getItems().get(0);
        assertThat(pod.getSpec().getNodeName()).isEqualTo(KubernetesNode.NAME);
        assertThat(pod.getStatus().getPodIP()).startsWith("10.244.0.");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getContainerID()).startsWith("containerd://");
        return pod;
    }

    /**
     * Opens the app at the URL its start answered, checked to be {@code url}, greets Ada there and keeps a screenshot,
     * {@code <prefix>-hello-wave.png}.
     */
    static void greetInBrowser(HeadlessChromium browser, JsonNode started, String url, Path screenshots, String prefix) {
        assertThat(started.get("url").asText()).isEqualTo(url);
        HelloWavePage.greetAda(browser, url, screenshots, prefix);
        browser.screenshot(screenshots.resolve(prefix + "-hello-wave.png"));
    }

    /**
     * Suspends the instance (its pod goes) and resumes it (the app answers again at {@code url}), each as Kubernetes
     * shows it.
     */
    static void suspendAndResume(StoreClient client, HeadlessChromium browser, KubernetesClient kubernetes, String id,
                                 String url, Path screenshots, String prefix, Duration within) throws Exception {
        // The app's page goes first. Its Wave client's WebSocket reconnects used to count as its owner's visit and
        // woke the instance at once; they no longer wake it (WakeRequests, shown by HelloWaveInBrowserIT on the local
        // runtime), so this is likely unneeded, but it stays until a run on a real node shows that.
        browser.driver().get("about:blank");
        assertThat(client.send("POST", "/api/v1/instances/" + id + "/suspend", null).statusCode()).isEqualTo(200);
        client.awaitInstance(id, i -> "STOPPED".equals(i.path("phase").asText()), within);
        await().atMost(Duration.ofMinutes(1)).until(() ->
                kubernetes.pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list().getItems().isEmpty());

        long asked = System.nanoTime();
        assertThat(client.send("POST", "/api/v1/instances/" + id + "/resume", null).statusCode()).isEqualTo(200);
        client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText()) && i.path("ready").asBoolean(), within);
        System.out.printf("real node: instance %s from resume to RUNNING and ready in %d ms (%s)%n", id,
                (System.nanoTime() - asked) / 1_000_000, prefix);
        HelloWavePage.greetAda(browser, url, screenshots, prefix + "-resumed");
        browser.driver().get("about:blank");
    }

    /**
     * Uploads hello-wave again as version 0.2.0 (packed into {@code dir}) and updates the instance to it: the release's
     * Deployment names the new version, a new pod runs it and the app answers again at {@code url}.
     */
    static void updateToANewVersion(StoreClient client, HeadlessChromium browser, KubernetesClient kubernetes,
                                    Path dir, String id, String url, Path screenshots, String prefix, Duration within)
            throws Exception {
        Path source = dir.resolve("hello-wave-0.2.0");
        copyTree(HELLO_WAVE, source);
        Path manifest = source.resolve("app.toml");
        Files.writeString(manifest, Files.readString(manifest).replace("Version = \"0.1.0\"", "Version = \"0.2.0\""));
        Path wave = dir.resolve("hello-wave-0.2.0.wave");
        BundlePacker.pack(source, wave);
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", wave).statusCode()).isEqualTo(201);

        JsonNode updated = StoreClient.json(client.send("PATCH", "/api/v1/instances/" + id, "{\"version\":\"0.2.0\"}"));
        assertThat(updated.get("appVersion").asText()).isEqualTo("0.2.0");
        client.awaitInstance(id, i -> "0.2.0".equals(i.path("appVersion").asText())
                && "RUNNING".equals(i.path("phase").asText()) && i.path("ready").asBoolean(), within);
        await().atMost(within).until(() -> "0.2.0".equals(kubernetes.apps().deployments().withName(id).get()
                .getMetadata().getAnnotations().get("wavestore.io/app-version")));
        HelloWavePage.greetAda(browser, url, screenshots, prefix + "-updated");
        browser.driver().get("about:blank");
    }

    /** Terminates the instance: its Deployment and pods go. */
    static void terminate(StoreClient client, KubernetesClient kubernetes, String id) throws Exception {
        assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofMinutes(1)).until(() ->
                kubernetes.apps().deployments().withName(id).get() == null
                        && kubernetes.pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list().getItems().isEmpty());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }
}
