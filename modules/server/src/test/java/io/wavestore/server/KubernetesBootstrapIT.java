package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.kubernetes.KubernetesControlPlane;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store replicas form one Pekko cluster through pekko-management cluster bootstrap with Kubernetes API discovery,
 * configured as charts/wavestore configures them: cluster-config/kubernetes.conf, the chart's environment, a
 * ServiceAccount with the chart's discovery Role, against a real API server. kwok plays the pods: with
 * {@code hostNetwork: true} each gets the node's address, 127.0.0.1, so the replica JVMs on this machine stand in for
 * the pods' containers, each on the ports its pod declares (its management port by the name discovery looks for).
 * What a pod has mounted from its ServiceAccount (token, CA, namespace) is written to files and pointed to.
 */
@ExtendWith(KubernetesExtension.class)
class KubernetesBootstrapIT {

    private static final String RELEASE = "store";
    /** What the chart's "wavestore.selector" renders for release {@value #RELEASE}. */
    private static final String SELECTOR =
            "app.kubernetes.io/component=store,app.kubernetes.io/instance=" + RELEASE + ",app.kubernetes.io/name=wavestore";
    private static final Duration READY_WITHIN = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final List<ReplicaProcess> replicas = new ArrayList<>();
    private final String credentialSecret = randomSecret();

    @AfterEach
    void stopReplicas(TestInfo test) throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "kubernetes-bootstrap-logs",
                test.getTestMethod().orElseThrow().getName()));
        for (ReplicaProcess replica : replicas) {
            if (replica.alive()) {
                replica.kill();
            }
            Files.writeString(logs.resolve("replica-" + replica.index + ".log"), replica.output());
        }
    }

    @Test
    void twoPodsOfTheReleaseFormOneClusterAndAThirdPodJoinsIt(TestNamespace namespace, KubernetesControlPlane controlPlane)
            throws Exception {
        Path account = serviceAccount(namespace, controlPlane, "store", true);
        TestDatabase database = TestDatabase.create();
        List<Integer> management = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            management.add(TestStoreConfig.freePort());
            replicas.add(replica(i, management.get(i - 1), account, database, controlPlane));
        }
        // The first two (required contact points: 2) form the cluster.
        for (int i = 0; i < 2; i++) {
            createPod(namespace.client(), replicas.get(i), management.get(i));
        }
        awaitPodsRunningOnLoopback(namespace.client(), 2);
        replicas.get(0).start();
        replicas.get(1).start();
        for (int i = 0; i < 2; i++) {
            awaitMember(replicas.get(i), management.get(i), 2);
        }
        List<String> outputs = List.of(replicas.get(0).output(), replicas.get(1).output());
        assertThat(outputs).allSatisfy(out -> assertThat(out).contains("Querying for pods with label selector: ["
                + SELECTOR + "]. Namespace: [" + namespace.name() + "]. Port: [Some(management)]"));
        // One formed the cluster (the lowest contact point), the other joined it: one cluster, not two.
        assertThat(outputs.stream().filter(out -> out.contains("Initiating new cluster, self-joining")).count())
                .as("replicas that formed a new cluster").isEqualTo(1);
        assertThat(outputs.stream().filter(out -> out.contains("to existing cluster")).count())
                .as("replicas that joined it").isEqualTo(1);

        // A third pod (a scale-up): its replica finds the cluster through the others' contact points and joins it.
        createPod(namespace.client(), replicas.get(2), management.get(2));
        awaitPodsRunningOnLoopback(namespace.client(), 3);
        replicas.get(2).start();
        for (int i = 0; i < 3; i++) {
            awaitMember(replicas.get(i), management.get(i), 3);
        }
        assertThat(replicas.get(2).output()).contains("to existing cluster").doesNotContain("Initiating new cluster");
    }

    /** Ready, a member of a cluster of {@code members} Up members as it sees it, and serving the API. */
    private static void awaitMember(ReplicaProcess replica, int managementPort, int members) throws Exception {
        StoreClient management = managementOf(managementPort);
        awaitStatus(management, "/ready", 200, READY_WITHIN, replica);
        awaitBody(management, "/metrics", "wavestore_cluster_members{status=\"up\"} " + members + ".0",
                Duration.ofSeconds(30), replica);
        assertThat(new StoreClient(replica.base()).get("/api/v1/apps").statusCode()).isEqualTo(200);
    }

    @Test
    void aReplicaWhoseServiceAccountMayNotListPodsNeverJoinsAndStaysUnready(TestNamespace namespace,
            KubernetesControlPlane controlPlane) throws Exception {
        // The ServiceAccount without the chart's discovery RoleBinding (as with rbac.create=false and nothing else).
        Path account = serviceAccount(namespace, controlPlane, "store-without-rbac", false);
        int management = TestStoreConfig.freePort();
        ReplicaProcess replica = replica(1, management, account, TestDatabase.create(), controlPlane);
        createPod(namespace.client(), replica, management);
        replicas.add(replica);
        awaitPodsRunningOnLoopback(namespace.client(), 1);
        replica.start();

        StoreClient probe = managementOf(management);
        awaitStatus(probe, "/alive", 200, READY_WITHIN, replica);
        awaitOutput(replica, "Forbidden to communicate with Kubernetes API server", Duration.ofSeconds(60));
        // Discovery keeps failing (with back-off): readiness answers 503 all along, never 200.
        Instant until = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(until)) {
            assertThat(probe.get("/ready").statusCode()).as("readiness without a cluster").isEqualTo(503);
            Thread.sleep(500);
        }
        assertThat(replica.output())
                .contains("pods is forbidden: User \\\"system:serviceaccount:" + namespace.name()
                        + ":store-without-rbac\\\" cannot list resource \\\"pods\\\"")
                .doesNotContain("Initiating new cluster")
                .doesNotContain("to existing cluster");
        assertThat(probe.get("/metrics").body()).doesNotContain("wavestore_cluster_members{status=\"up\"}");
    }

    /**
     * A ServiceAccount, with the chart's discovery Role and RoleBinding (templates/rbac.yaml) or without them, and a
     * directory holding what a pod of it has mounted at /var/run/secrets/kubernetes.io/serviceaccount.
     */
    private Path serviceAccount(TestNamespace namespace, KubernetesControlPlane controlPlane, String name, boolean bound)
            throws IOException {
        KubernetesClient client = namespace.client();
        client.serviceAccounts().resource(new ServiceAccountBuilder().withNewMetadata().withName(name).endMetadata()
                .build()).create();
        if (bound) {
            client.rbac().roles().resource(new RoleBuilder().withNewMetadata().withName(name + "-discovery").endMetadata()
                    .addNewRule().withApiGroups("").withResources("pods").withVerbs("list").endRule().build()).create();
            client.rbac().roleBindings().resource(new RoleBindingBuilder()
                    .withNewMetadata().withName(name + "-discovery").endMetadata()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role")
                    .withName(name + "-discovery").endRoleRef()
                    .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(namespace.name()).endSubject()
                    .build()).create();
        }
        String token = client.serviceAccounts().withName(name).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Path mounted = Files.createDirectories(dir.resolve("serviceaccount-" + name));
        Files.writeString(mounted.resolve("token"), token);
        Files.write(mounted.resolve("ca.crt"),
                Base64.getDecoder().decode(controlPlane.config(namespace.name()).getCaCertData()));
        Files.writeString(mounted.resolve("namespace"), namespace.name());
        return mounted;
    }

    /** A replica with the environment charts/wavestore's Deployment gives the store container, on free ports. */
    private ReplicaProcess replica(int index, int managementPort, Path account, TestDatabase database,
            KubernetesControlPlane controlPlane) {
        int httpPort = TestStoreConfig.freePort();
        int clusterPort = TestStoreConfig.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("WAVESTORE_HTTP_PORT", Integer.toString(httpPort));
        env.put("WAVESTORE_DATA_DIR", dir.resolve("replica-" + index).toString());
        env.put("WAVESTORE_SHUTDOWN_DEADLINE", "5s");
        // status.podIP, which kwok reports as 127.0.0.1 for a pod on the host's network.
        env.put("WAVESTORE_CLUSTER_HOST", "127.0.0.1");
        env.put("WAVESTORE_CLUSTER_PORT", Integer.toString(clusterPort));
        env.put("WAVESTORE_MANAGEMENT_HOST", "127.0.0.1");
        env.put("WAVESTORE_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("WAVESTORE_CLUSTER_POD_LABEL_SELECTOR", SELECTOR);
        env.put("WAVESTORE_CLUSTER_REQUIRED_CONTACT_POINTS", "2");
        env.put("WAVESTORE_DB_URL", database.url());
        env.put("WAVESTORE_DB_USER", database.user());
        env.put("WAVESTORE_DB_PASSWORD", database.password());
        env.put("WAVESTORE_BLOB_TYPE", "filesystem");
        env.put("WAVESTORE_BLOB_DIR", dir.resolve("blobs").toString());
        // One secret for all replicas, as the chart's Secret is.
        env.put("WAVESTORE_INSTANCE_CREDENTIAL_SECRET", credentialSecret);
        // The development identity, on loopback; no instances (the catalog and the cluster are what is tested here).
        env.put("WAVESTORE_IDENTITY_MODE", "development");
        env.put("WAVESTORE_RUNTIME", "none");
        // What the kubelet gives every container: the API server's in-cluster address.
        URI apiServer = controlPlane.apiServer();
        env.put("KUBERNETES_SERVICE_HOST", apiServer.getHost());
        env.put("KUBERNETES_SERVICE_PORT", Integer.toString(apiServer.getPort()));
        List<String> properties = List.of(
                "-Dpekko.discovery.kubernetes-api.api-token-path=" + account.resolve("token"),
                "-Dpekko.discovery.kubernetes-api.api-ca-path=" + account.resolve("ca.crt"),
                "-Dpekko.discovery.kubernetes-api.pod-namespace-path=" + account.resolve("namespace"),
                // The image's logging (the test class path's logback-test.xml would hide Pekko's INFO lines).
                "-Dlogback.configurationFile=logback.xml");
        return new ReplicaProcess(index, httpPort, clusterPort,
                ReplicaProcess.repository().resolve("cluster-config/kubernetes.conf"), properties, env,
                dir.resolve("replica-" + index + ".log"));
    }

    /**
     * The replica's pod as the chart's Deployment makes it (labels, the store container's named ports), on the host's
     * network: kwok runs nothing, the replica JVM listens on the ports the pod declares.
     */
    private static void createPod(KubernetesClient client, ReplicaProcess replica, int managementPort) {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(RELEASE + "-wavestore-" + replica.index)
                .addToLabels("app.kubernetes.io/name", "wavestore")
                .addToLabels("app.kubernetes.io/instance", RELEASE)
                .addToLabels("app.kubernetes.io/component", "store")
                .endMetadata()
                .withNewSpec().withHostNetwork(true)
                .addNewContainer().withName("store").withImage("ghcr.io/wavestore/store:test")
                .addNewPort().withName("http").withContainerPort(replica.httpPort).withProtocol("TCP").endPort()
                .addNewPort().withName("management").withContainerPort(managementPort).withProtocol("TCP").endPort()
                .addNewPort().withName("remoting").withContainerPort(replica.clusterPort).withProtocol("TCP").endPort()
                .endContainer()
                .endSpec().build();
        client.pods().resource(pod).create();
    }

    /** Scheduled on the kwok node and Running, with the node's address as podIP (hostNetwork). */
    private static void awaitPodsRunningOnLoopback(KubernetesClient client, int pods) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        List<Pod> listed = List.of();
        while (Instant.now().isBefore(deadline)) {
            listed = client.pods().withLabelSelector(SELECTOR).list().getItems();
            if (listed.size() == pods && listed.stream().allMatch(p -> p.getSpec().getNodeName() != null
                    && "Running".equals(p.getStatus().getPhase()) && "127.0.0.1".equals(p.getStatus().getPodIP()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pods not Running on 127.0.0.1 within 60 s: " + listed.stream()
                .map(p -> p.getMetadata().getName() + " " + p.getStatus().getPhase() + " " + p.getStatus().getPodIP()).toList());
    }

    private static String randomSecret() {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        return Base64.getEncoder().encodeToString(secret);
    }

    private static StoreClient managementOf(int port) {
        return new StoreClient(URI.create("http://127.0.0.1:" + port));
    }

    private static void awaitStatus(StoreClient client, String path, int status, Duration within, ReplicaProcess replica)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            assertThat(replica.alive()).as("replica " + replica.index + " running; log:\n" + replica.tail()).isTrue();
            try {
                last = client.get(path).statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica " + replica.index + ": " + path + " answered " + last + ", not " + status
                + ", within " + within + "; log:\n" + replica.tail());
    }

    private static void awaitBody(StoreClient client, String path, String expected, Duration within,
            ReplicaProcess replica) throws Exception {
        Instant deadline = Instant.now().plus(within);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = client.get(path);
            last = response.body();
            if (response.statusCode() == 200 && last.contains(expected)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("replica " + replica.index + ": no " + expected + " in " + path + " within " + within
                + ":\n" + last);
    }

    private static void awaitOutput(ReplicaProcess replica, String expected, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (replica.output().contains(expected)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("replica " + replica.index + " did not log " + expected + " within " + within
                + "; log:\n" + replica.tail());
    }
}
