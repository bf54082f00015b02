package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.wavestore.scheduler.helm.HelmRuntime;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import io.wavestore.testkit.browser.HeadlessChromium;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.KubernetesNode;
import io.wavestore.testkit.kubernetes.KubernetesNodeExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's Kubernetes runtime on a real node (issue 15): every instance is a real pod of the instance image
 * (docker/build.sh) run by a kubelet and containerd. The launcher in the pod downloads the bundle from the store,
 * which listens on the pod network's gateway, installs the requirements from PyPI, starts waved and the app; the
 * readiness probe passes; headless Chromium opens the app through the store's router (which reaches the pod
 * through its Service's cluster IP and kube-proxy) and sees the answer over the WebSocket. A screenshot of it is
 * left in target/screenshots/real-node-hello-wave.png.
 */
@ExtendWith({PostgresExtension.class, KubernetesExtension.class, KubernetesNodeExtension.class})
@KubernetesNodeExtension.Images("instance")
class RealNodeInstancesIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    /** Pip downloads h2o-wave in the pod: minutes on a slow network. */
    static final Duration START = Duration.ofMinutes(6);
    /** The apps' origin; the browser maps it to the gateway, where the store listens. */
    static final String APPS_DOMAIN = "apps.wavestore.test";

    @TempDir
    Path dataDir;

    private final TestDatabase database;

    RealNodeInstancesIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void helloWaveRunsInARealPodAndAnswersThroughTheRouter(TestNamespace namespace) throws Exception {
        int port = freeGatewayPort();
        try (Wavestore store = Wavestore.start(config(namespace, port));
             HeadlessChromium browser = HeadlessChromium.start(
                     "--host-resolver-rules=MAP " + APPS_DOMAIN + " " + KubernetesNode.GATEWAY)) {
            StoreClient client = new StoreClient(URI.create("http://" + KubernetesNode.GATEWAY + ":" + port));
            JsonNode started = RealPodLifecycle.startHelloWave(client, dataDir, "store in the test's JVM", START);
            String id = started.get("id").asText();
            RealPodLifecycle.realPod(namespace.client(), id);

            String url = "http://" + APPS_DOMAIN + ":" + port + "/instance/" + id + "/";
            RealPodLifecycle.greetInBrowser(browser, started, url, SCREENSHOTS, "real-node");

            RealPodLifecycle.suspendAndResume(client, browser, namespace.client(), id, url, SCREENSHOTS,
                    "real-node", START);
            // The first pod built hello-wave's environment into the node's dependency cache; the resumed pod (a new
            // one, its venv in an emptyDir) copied it from there instead of installing from PyPI.
            try (Stream<Path> entries = Files.list(dependencyCache(dataDir))) {
                assertThat(entries.map(p -> p.getFileName().toString())).isNotEmpty();
            }
            RealPodLifecycle.terminate(client, namespace.client(), id);
        }
    }

    @Test
    void anAppThatCrashesAtStartShowsCrashLoopBackOffWithTheKubeletsReason(TestNamespace namespace) throws Exception {
        int port = freeGatewayPort();
        try (Wavestore store = Wavestore.start(config(namespace, port))) {
            StoreClient client = new StoreClient(URI.create("http://" + KubernetesNode.GATEWAY + ":" + port));
            // The app dies on import, after the launcher installed what a Wave app needs; the pod restarts it.
            byte[] crashing = WaveBundleBuilder.app("crashes-at-start", "1.0.0")
                    .file("app.py", "raise SystemExit('crashes-at-start: refusing to start')\n")
                    .file("requirements.txt", "")
                    .bytes();
            assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", crashing).statusCode()).isEqualTo(201);
            String id = StoreClient.json(client.send("POST", "/api/v1/instances",
                    "{\"app\":\"crashes-at-start\",\"version\":\"1.0.0\"}")).get("id").asText();

            JsonNode failed = client.awaitInstance(id, i -> "FAILED".equals(i.path("phase").asText())
                    && "CrashLoopBackOff".equals(i.path("reason").asText()), START);
            assertThat(failed.get("restarts").asInt()).isPositive();
            // The kubelet's own account: waiting in CrashLoopBackOff, the last run terminated with an error. Between
            // back-offs it runs the container again, so look until a look falls into a back-off.
            await().atMost(START).untilAsserted(() -> {
                ContainerStatus status = namespace.client().pods().withLabel(HelmRuntime.INSTANCE_LABEL, id).list()
                        .getItems().get(0).getStatus().getContainerStatuses().get(0);
                assertThat(status.getState().getWaiting()).isNotNull();
                assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
                assertThat(status.getLastState().getTerminated().getExitCode()).isNotZero();
            });
            // And its log, through the store: the app's own last words. The kubelet may have started the container
            // again since the look above (its log is then empty until the app dies again), so look until they show.
            await().atMost(START).untilAsserted(() -> assertThat(
                    client.get("/api/v1/instances/" + id + "/logs?tail=100").body()).contains("refusing to start"));
        }
    }

    private Config config(TestNamespace namespace, int port) {
        return config(dataDir, database, namespace, port);
    }

    /** The store on the pod network's gateway, where launchers reach it; the router reaches pods by Service IP. */
    static Config config(Path dataDir, TestDatabase database, TestNamespace namespace, int port) {
        String publicUrl = "http://" + KubernetesNode.GATEWAY + ":" + port;
        Map<String, Object> settings = Map.ofEntries(
                Map.entry("wavestore.http.host", KubernetesNode.GATEWAY),
                Map.entry("wavestore.http.port", port),
                // The gateway is a network of this test's own, reached from this machine and its pods only.
                Map.entry("wavestore.identity.development.allow-non-loopback", true),
                Map.entry("wavestore.scheduler.public-url", publicUrl),
                Map.entry("wavestore.router.apps-domain", APPS_DOMAIN),
                Map.entry("wavestore.scheduler.kubernetes.image.repository", "wavestore/instance"),
                Map.entry("wavestore.scheduler.kubernetes.image.tag", "dev"),
                Map.entry("wavestore.scheduler.kubernetes.image.pull-policy", "Never"),
                Map.entry("wavestore.scheduler.kubernetes.service-address", "cluster-ip"),
                Map.entry("wavestore.scheduler.kubernetes.dependency-cache-host-path",
                        dependencyCache(dataDir).toString()));
        return ConfigFactory.parseMap(settings).withFallback(TestStoreConfig.kubernetes(dataDir, database, namespace));
    }

    /**
     * The node's dependency cache for this test (the chart's hostPath), made writable by the pods' user as a node's
     * provisioning would make it: the pods of the node then share the environments they build.
     */
    static Path dependencyCache(Path dataDir) {
        Path cache = dataDir.resolve("dependency-cache");
        try {
            Files.createDirectories(cache);
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cache;
    }

    static int freeGatewayPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(KubernetesNode.GATEWAY))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
