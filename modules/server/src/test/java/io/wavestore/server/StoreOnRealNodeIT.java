package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavestore.testkit.PostgresServer;
import io.wavestore.testkit.browser.HeadlessChromium;
import io.wavestore.testkit.kubernetes.KubernetesControlPlane;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.KubernetesNode;
import io.wavestore.testkit.kubernetes.KubernetesNodeExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store itself on a real node, as the README's "Deploying for real" has a platform team deploy it (issue 15):
 * the store image (docker/build.sh store) installed with {@code helm install charts/wavestore}, its replicas real pods
 * that reach the Kubernetes API in-cluster with the chart's ServiceAccount and RBAC, a PostgreSQL outside the cluster
 * (this machine's, reached at the pod network's gateway, as a managed database would be), blobs on a volume, the
 * store reached through its NodePort. It runs hello-wave in a real pod of the instance image, whose launcher downloads
 * the bundle from the store's Service over the cluster network; headless Chromium opens the app through the store's
 * router and sees the answer (target/screenshots/store-on-real-node-hello-wave.png).
 */
@ExtendWith({KubernetesExtension.class, KubernetesNodeExtension.class})
@KubernetesNodeExtension.Images({"instance", "store"})
class StoreOnRealNodeIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Path LOGS = Path.of("target", "store-on-real-node-logs");
    /** A first start migrates the database and forms a cluster; pip downloads h2o-wave in the instance's pod. */
    static final Duration START = Duration.ofMinutes(6);
    static final String APPS_DOMAIN = "apps.wavestore.test";

    @TempDir
    Path dir;

    @Test
    void theChartsStoreRunsHelloWaveInARealPodThroughItsRouter(TestNamespace namespace, KubernetesNode node,
                                                                KubernetesControlPlane controlPlane) throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String database = postgres.createDatabase();
        // The database as the pods see it: the same server, at the gateway.
        String databaseForPods = database.replace(postgres.host() + ":" + postgres.port(),
                KubernetesNode.GATEWAY + ":" + node.exposeToPods(postgres.port()));
        int nodePort = freeNodePort();
        String publicUrl = "http://" + KubernetesNode.GATEWAY + ":" + nodePort;
        String blobVolume = createBlobVolume(controlPlane, namespace);

        StoreRelease release = new StoreRelease(namespace)
                .set("replicaCount", 1)
                .set("image.repository", "wavestore/store").set("image.tag", "dev").set("image.pullPolicy", "Never")
                .set("publicUrl", publicUrl)
                .set("service.type", "NodePort").set("service.nodePort", nodePort)
                .set("router.appsDomain", APPS_DOMAIN)
                .set("database.url", databaseForPods)
                .set("database.user", postgres.user()).set("database.password", postgres.password())
                // As every test store's: at a load of 37 on two cores a first connection took longer than the default
                // 1.5 s, the replica stopped and the kubelet restarted it twice.
                .set("extraEnv[0].name", "WAVESTORE_DB_CONNECTION_TIMEOUT").set("extraEnv[0].value", "10s")
                .set("blobs.type", "filesystem")
                .set("blobs.filesystem.storageClass", "-").set("blobs.filesystem.size", "1Gi")
                // The gateway's network is this test's own, reached from this machine and its pods only.
                .set("identity.mode", "development").set("identity.development.allowNonLoopback", true)
                .set("instances.image.repository", "wavestore/instance").set("instances.image.tag", "dev")
                .set("instances.image.pullPolicy", "Never")
                // No directory of this machine's for the instances' dependency cache.
                .set("instances.dependencyCache.hostPath", "")
                // Two cores shared by every test: what the store needs, not what a production replica reserves.
                .set("resources.requests.cpu", "100m").set("resources.requests.memory", "512Mi");
        StoreClient client = new StoreClient(URI.create(publicUrl));
        try (HeadlessChromium browser = HeadlessChromium.start(
                "--host-resolver-rules=MAP " + APPS_DOMAIN + " " + KubernetesNode.GATEWAY)) {
            long installing = System.nanoTime();
            release.install();
            await("the store's replica ready").atMost(START).pollInterval(Duration.ofSeconds(1))
                    .until(() -> release.readyReplicas() == 1);
            System.out.printf("real node: helm install to one ready store replica in %d ms%n",
                    (System.nanoTime() - installing) / 1_000_000);
            assertThat(namespace.client().persistentVolumeClaims().withName(StoreRelease.FULLNAME + "-blobs").get()
                    .getSpec().getVolumeName()).isEqualTo(blobVolume);

            helloWaveRunsSuspendsResumesUpdatesAndEnds(client, browser, namespace, nodePort);
            twoReplicasFormOneCluster(release, client, wave(dir));
        } catch (AssertionError | RuntimeException e) {
            release.saveLogs(LOGS);
            throw e;
        } finally {
            // Each step on its own: a store that never answered still gets uninstalled. (A killed test leaves the
            // rest to the node's next start, which sweeps every container, and to the namespace's deletion.)
            quietly("terminate the instances", client::terminateEveryInstance);
            quietly("helm uninstall", release::uninstall);
            try (KubernetesClient admin = controlPlane.newClient()) {
                // The chart keeps the blob claim on uninstall (it holds every uploaded app): a platform team deletes
                // it on purpose, as here.
                namespace.client().persistentVolumeClaims().withName(StoreRelease.FULLNAME + "-blobs").delete();
                admin.persistentVolumes().withName(blobVolume).delete();
            }
        }
    }

    private void helloWaveRunsSuspendsResumesUpdatesAndEnds(StoreClient client, HeadlessChromium browser,
                                                     TestNamespace namespace, int nodePort)
            throws Exception {
        JsonNode started = RealPodLifecycle.startHelloWave(client, dir, "store in a pod", START);
        String id = started.get("id").asText();
        Pod pod = RealPodLifecycle.realPod(namespace.client(), id);
        assertThat(pod.getStatus().getContainerStatuses().get(0).getImage()).contains("wavestore/instance:dev");
        // The launcher fetched the bundle from the store's Service, through CoreDNS and kube-proxy.
        assertThat(pod.getSpec().getContainers().get(0).getEnv()).filteredOn(e -> "WAVESTORE_BUNDLE_URL".equals(e.getName()))
                .extracting(EnvVar::getValue).singleElement().asString()
                .startsWith("http://" + StoreRelease.FULLNAME + "." + namespace.name() + ".svc.cluster.local:8080/");

        String url = "http://" + APPS_DOMAIN + ":" + nodePort + "/instance/" + id + "/";
        RealPodLifecycle.greetInBrowser(browser, started, url, SCREENSHOTS, "store-on-real-node");

        RealPodLifecycle.suspendAndResume(client, browser, namespace.client(), id, url, SCREENSHOTS,
                "store-on-real-node", START);
        RealPodLifecycle.updateToANewVersion(client, browser, namespace.client(), dir, id, url, SCREENSHOTS,
                "store-on-real-node", START);
        RealPodLifecycle.terminate(client, namespace.client(), id);
    }

    /**
     * {@code helm upgrade} to two replicas: the new pods join the first one's Pekko cluster through cluster bootstrap
     * (Kubernetes API discovery with the chart's ServiceAccount), the rollout replaces the first, and two members stay,
     * each seeing both Up; both serve the catalog from the same PostgreSQL and blob volume.
     */
    private static void twoReplicasFormOneCluster(StoreRelease release, StoreClient client, Path uploaded)
            throws Exception {
        long upgrading = System.nanoTime();
        release.set("replicaCount", 2).upgrade();
        await("two store replicas ready").atMost(START).pollInterval(Duration.ofSeconds(1))
                .until(() -> release.readyReplicas() == 2);
        System.out.printf("real node: helm upgrade to two ready store replicas in %d ms%n",
                (System.nanoTime() - upgrading) / 1_000_000);
        List<Pod> replicas = release.pods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        assertThat(replicas).hasSize(2);
        for (Pod replica : replicas) {
            // Management HTTP on the pod's address, which this machine reaches over the bridge.
            StoreClient management = new StoreClient(URI.create("http://" + replica.getStatus().getPodIP() + ":8558"));
            await(replica.getMetadata().getName() + " in a cluster of two").atMost(Duration.ofMinutes(2))
                    .untilAsserted(() -> assertThat(management.get("/metrics").body())
                            .contains("wavestore_cluster_members{status=\"up\"} 2.0"));
        }
        // The Service spreads requests over both: each answers with the bundle uploaded before the upgrade.
        byte[] bundle = Files.readAllBytes(uploaded);
        for (int i = 0; i < 6; i++) {
            assertThat(client.getBytes("/api/v1/apps/io.wavestore.hello-wave/0.1.0/bundle").body()).isEqualTo(bundle);
        }
    }

    private static Path wave(Path dir) {
        return dir.resolve("hello-wave.wave");
    }

    /**
     * A volume for the chart's blob claim: a directory of this machine's (the node's), bound to the claim by name as
     * a platform team pre-provisions one where there is no dynamic provisioner. ReadWriteMany, which the chart asks
     * for so that every replica mounts it: on one node a host directory is that.
     */
    private String createBlobVolume(KubernetesControlPlane controlPlane, TestNamespace namespace) throws IOException {
        Path blobs = Files.createDirectory(dir.resolve("blobs"));
        // The store runs as uid 10001; a host directory is not chowned by fsGroup.
        Files.setPosixFilePermissions(blobs, PosixFilePermissions.fromString("rwxrwxrwx"));
        String name = namespace.name() + "-blobs";
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteMany")
                    .addToCapacity("storage", new Quantity("1Gi"))
                    .withStorageClassName("")
                    .withPersistentVolumeReclaimPolicy("Retain")
                    .withNewHostPath().withPath(blobs.toString()).withType("Directory").endHostPath()
                    .withNewClaimRef().withNamespace(namespace.name()).withName(StoreRelease.FULLNAME + "-blobs").endClaimRef()
                .endSpec()
                .build();
        try (KubernetesClient admin = controlPlane.newClient()) {
            admin.persistentVolumes().resource(volume).create();
        }
        return name;
    }

    interface Step {
        void run() throws Exception;
    }

    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            System.err.println("cannot " + what + ": " + e);
        }
    }

    /** A port of the API server's NodePort range that nothing listens on at the gateway. */
    private static int freeNodePort() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(30000, 32768);
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(KubernetesNode.GATEWAY))) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free NodePort on " + KubernetesNode.GATEWAY);
    }
}
