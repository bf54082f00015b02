package io.wavestore.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on 127.0.0.1, without containers: etcd, kube-apiserver, kube-controller-manager
 * and kube-scheduler of one release, and kwok, which plays the Nodes and moves pods through their phases
 * ({@link KwokStages}). The binaries come from {@link ControlPlaneBinaries}.
 *
 * <p>Each instance has its own temporary directory (certificates, kubeconfig, etcd data, one log file per
 * process) and its own free loopback ports. {@link #close()} stops every process and deletes the directory;
 * if the JVM dies without closing, a small watchdog process does both.
 *
 * <pre>{@code
 * try (KubernetesControlPlane k8s = KubernetesControlPlane.builder().start();
 *      KubernetesClient client = k8s.newClient()) { ... }
 * }</pre>
 */
public final class KubernetesControlPlane implements AutoCloseable {

    /** System property: keep the temporary directory (logs, etcd data) after {@link #close()}. */
    public static final String KEEP_PROPERTY = "wavestore.controlPlane.keep";
    /** What every container's log says, read through the API server as on a cluster: kwok runs no process. */
    public static final String CONTAINER_LOG = "kwok plays this container; no process of it runs\n";

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesControlPlane.class);
    private static final String SERVICE_CIDR = "10.96.0.0/16";
    private static final String POD_CIDR = "10.244.0.0/16";
    private static final String CONTAINER_LOG_FILE = "container.log";

    private final Builder settings;
    private final Path workDir;
    private final Path logDir;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Pki pki = Pki.shared();
    private String kubeconfig;
    private KubernetesClient client;
    private Process watchdog;
    private Thread shutdownHook;
    private Duration startupTime;
    private boolean closed;

    private KubernetesControlPlane(Builder settings) throws IOException {
        this.settings = settings;
        this.workDir = Files.createTempDirectory("wavestore-k8s-");
        this.logDir = Files.createDirectories(workDir.resolve("logs"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The API server's address, https://127.0.0.1:port. */
    public URI apiServer() {
        return URI.create("https://127.0.0.1:" + ports.get("kube-apiserver"));
    }

    /** An administrator's kubeconfig (group system:masters) with the default namespace "default". */
    public Path kubeconfig() {
        return workDir.resolve("kubeconfig");
    }

    /** The contents of {@link #kubeconfig()}, with certificates inline. */
    public String kubeconfigContents() {
        return kubeconfig;
    }

    /**
     * Writes an administrator's kubeconfig whose current context uses {@code namespace}, for tools that take a
     * kubeconfig (Helm) and for humans ({@code kubectl --kubeconfig ...}).
     */
    public Path kubeconfigFor(String namespace) {
        try {
            Path file = workDir.resolve("kubeconfig-" + namespace);
            Files.writeString(file, kubeconfigYaml(namespace));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a kubeconfig that signs in with a bearer token (a ServiceAccount's, from a TokenRequest) and uses
     * {@code namespace}: whoever uses it, Helm or fabric8, has that account's permissions and no more.
     */
    public Path kubeconfigWithToken(String namespace, String token) {
        String admin = kubeconfigYaml(namespace);
        String user = admin.substring(admin.indexOf("users:"), admin.indexOf("contexts:"));
        try {
            Path file = Files.createTempFile(workDir, "kubeconfig-token-", "");
            Files.writeString(file, admin.replace(user, """
                    users:
                    - name: wavestore-test-admin
                      user:
                        token: %s
                    """.formatted(token)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fabric8 client configuration for this control plane, with the given default namespace. */
    public Config config(String namespace) {
        return new ConfigBuilder(Config.fromKubeconfig(kubeconfigYaml(namespace)))
                .withNamespace(namespace)
                .withRequestTimeout(30_000)
                .withConnectionTimeout(10_000)
                .build();
    }

    /** A new fabric8 client (the caller closes it) whose default namespace is "default". */
    public KubernetesClient newClient() {
        return newClient("default");
    }

    /** A new fabric8 client (the caller closes it) whose default namespace is {@code namespace}. */
    public KubernetesClient newClient(String namespace) {
        return new KubernetesClientBuilder().withConfig(config(namespace)).build();
    }

    /** The names of the fake Nodes kwok plays. */
    public List<String> nodeNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < settings.nodes; i++) {
            names.add("kwok-node-" + i);
        }
        return names;
    }

    /** How long {@link Builder#start()} took, from nothing to Ready nodes. */
    public Duration startupTime() {
        return startupTime;
    }

    /** The temporary directory of this control plane. */
    public Path workDir() {
        return workDir;
    }

    /** The log file of each process, by component name. */
    public Map<String, Path> logFiles() {
        Map<String, Path> logs = new LinkedHashMap<>();
        for (ManagedProcess process : processes) {
            logs.put(process.name, process.log);
        }
        return logs;
    }

    /** The last {@code lines} lines of each process's log, for a test that failed. */
    public String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ManagedProcess process : processes) {
            out.append("----- ").append(process.name).append(" (").append(process.log).append(") -----\n");
            try {
                List<String> all = Files.readAllLines(process.log, StandardCharsets.UTF_8);
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(line -> out.append(line).append('\n'));
            } catch (IOException e) {
                out.append("(cannot read: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            client.close();
        }
        // Controllers first, so none of them logs errors about a vanished API server; then the API server; then etcd.
        List<ManagedProcess> controllers = processes.stream()
                .filter(p -> !p.name.equals("etcd") && !p.name.equals("kube-apiserver")).toList();
        stopAll(controllers);
        stopAll(processes.stream().filter(p -> p.name.equals("kube-apiserver")).toList());
        stopAll(processes.stream().filter(p -> p.name.equals("etcd")).toList());
        if (watchdog != null) {
            watchdog.destroyForcibly();
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to; nothing to undo.
            }
        }
        if (Boolean.getBoolean(KEEP_PROPERTY)) {
            LOG.info("Kept the control plane's directory {}", workDir);
        } else {
            deleteRecursively(workDir);
        }
    }

    private void start() throws IOException, InterruptedException {
        long started = System.nanoTime();
        shutdownHook = new Thread(this::close, "kubernetes-control-plane-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path bin = settings.binDir != null ? settings.binDir : ControlPlaneBinaries.locate();
        Path pkiDir = Files.createDirectories(workDir.resolve("pki"));
        pki.writeTo(pkiDir);
        List<ServerSocket> reserved = new ArrayList<>();
        for (String name : List.of("etcd", "etcd-peer", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok")) {
            ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            reserved.add(socket);
            ports.put(name, socket.getLocalPort());
        }
        kubeconfig = kubeconfigYaml("default");
        Files.writeString(kubeconfig(), kubeconfig);
        String kubeconfigPath = kubeconfig().toString();
        // In the CRI log format a kubelet reads: time, stream, F(ull line), text.
        Files.writeString(workDir.resolve(CONTAINER_LOG_FILE), Instant.now() + " stdout F " + CONTAINER_LOG);
        Path kwokConfig = workDir.resolve("kwok.yaml");
        Files.writeString(kwokConfig, kwokConfiguration());
        for (ServerSocket socket : reserved) {
            socket.close();
        }

        String etcdUrl = "http://127.0.0.1:" + ports.get("etcd");
        String peerUrl = "http://127.0.0.1:" + ports.get("etcd-peer");
        launch(bin, "etcd", Map.of(),
                "--name=wavestore-test",
                "--data-dir=" + workDir.resolve("etcd"),
                "--listen-client-urls=" + etcdUrl,
                "--advertise-client-urls=" + etcdUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=wavestore-test=" + peerUrl,
                "--listen-metrics-urls=",
                // Test data lives as long as the test: durability buys nothing and fsync costs much on CI disks.
                "--unsafe-no-fsync=true",
                "--quota-backend-bytes=" + 2L * 1024 * 1024 * 1024,
                "--log-level=warn");
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        awaitHealthy(plain, URI.create(etcdUrl + "/health"), "etcd");

        String certs = pkiDir.toString();
        launch(bin, "kube-apiserver", Map.of(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + ports.get("kube-apiserver"),
                "--cert-dir=" + workDir.resolve("kube-apiserver"),
                "--tls-cert-file=" + certs + "/serving.crt",
                "--tls-private-key-file=" + certs + "/serving.key",
                "--client-ca-file=" + certs + "/ca.crt",
                "--kubelet-client-certificate=" + certs + "/admin.crt",
                "--kubelet-client-key=" + certs + "/admin.key",
                "--kubelet-preferred-address-types=InternalIP",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + certs + "/service-account.pub",
                "--service-account-signing-key-file=" + certs + "/service-account.key",
                "--service-cluster-ip-range=" + SERVICE_CIDR,
                // The aggregation layer, as on a real cluster: without it the other components' delegated
                // authentication complains, and aggregated APIs (metrics) could not be added later.
                "--requestheader-client-ca-file=" + certs + "/ca.crt",
                "--requestheader-allowed-names=kube-apiserver",
                "--requestheader-username-headers=X-Remote-User",
                "--requestheader-group-headers=X-Remote-Group",
                "--requestheader-extra-headers-prefix=X-Remote-Extra-",
                "--proxy-client-cert-file=" + certs + "/serving.crt",
                "--proxy-client-key-file=" + certs + "/serving.key",
                // The API server's own address is loopback, which Endpoints may not hold; nothing here needs it.
                "--endpoint-reconciler-type=none",
                "--authorization-mode=Node,RBAC",
                "--allow-privileged=true",
                "--profiling=false");
        HttpClient tls = HttpClient.newBuilder().sslContext(pki.adminSslContext())
                .connectTimeout(Duration.ofSeconds(2)).build();
        awaitHealthy(tls, apiServer().resolve("/readyz"), "kube-apiserver");

        launch(bin, "kube-controller-manager", Map.of(), controllerFlags("kube-controller-manager", kubeconfigPath, certs,
                "--root-ca-file=" + certs + "/ca.crt",
                "--service-account-private-key-file=" + certs + "/service-account.key",
                "--service-cluster-ip-range=" + SERVICE_CIDR,
                "--kube-api-qps=200",
                "--kube-api-burst=400",
                "--profiling=false"));
        launch(bin, "kube-scheduler", Map.of(), controllerFlags("kube-scheduler", kubeconfigPath, certs,
                "--profiling=false"));
        int kwokPort = ports.get("kwok");
        // HOME points into the work dir: kwok would otherwise also load the user's ~/.kwok/kwok.yaml.
        launch(bin, "kwok", Map.of("HOME", workDir.toString()),
                "--kubeconfig=" + kubeconfigPath,
                "--config=" + kwokConfig,
                // Only the fake nodes: a real kubelet's node (KubernetesNode) is its own.
                "--manage-all-nodes=false",
                "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake",
                // Node address 127.0.0.1 and kwok's port as the kubelet port: the API server's log, exec and
                // port-forward requests for a pod go to kwok over loopback, never to a made-up address.
                "--node-ip=127.0.0.1",
                "--node-port=" + kwokPort,
                "--server-address=127.0.0.1:" + kwokPort,
                "--tls-cert-file=" + certs + "/serving.crt",
                "--tls-private-key-file=" + certs + "/serving.key",
                "--node-lease-duration-seconds=40",
                "--cidr=" + POD_CIDR);

        client = newClient();
        for (String name : nodeNames()) {
            client.nodes().resource(fakeNode(name)).create();
        }
        awaitHealthy(tls, URI.create("https://127.0.0.1:" + ports.get("kube-controller-manager") + "/healthz"),
                "kube-controller-manager");
        awaitHealthy(tls, URI.create("https://127.0.0.1:" + ports.get("kube-scheduler") + "/healthz"), "kube-scheduler");
        await("the fake nodes to be Ready (kwok)", "kwok", () -> nodeNames().stream().allMatch(this::nodeReady));
        await("the default ServiceAccount (kube-controller-manager)", "kube-controller-manager",
                () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
        startWatchdog();
        startupTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Kubernetes control plane up at {} in {} ms (work dir {})", apiServer(), startupTime.toMillis(), workDir);
    }

    private static Node fakeNode(String name) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/hostname", name)
                .addToLabels("kubernetes.io/os", "linux")
                .addToLabels("kubernetes.io/arch", "amd64")
                .addToLabels("type", "kwok")
                .addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .endMetadata()
                .build();
    }

    private boolean nodeReady(String name) {
        Node node = client.nodes().withName(name).get();
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private String kwokConfiguration() {
        // No KwokConfiguration document: kwok takes its defaults, and the flags set the rest.
        List<String> documents = new ArrayList<>();
        // Every container "logs" the same lines, so pod logs can be read as on a cluster (API server -> kwok).
        documents.add("""
                apiVersion: kwok.x-k8s.io/v1alpha1
                kind: ClusterLogs
                metadata:
                  name: wavestore-container-logs
                spec:
                  logs:
                  - logsFile: "%1$s"
                    previousLogsFile: "%1$s"
                    follow: false
                """.formatted(workDir.resolve(CONTAINER_LOG_FILE)));
        for (String stage : KwokStages.DEFAULT) {
            documents.add(KwokStages.read(stage));
        }
        documents.addAll(settings.extraStages);
        return String.join("\n---\n", documents);
    }

    private String kubeconfigYaml(String namespace) {
        Base64.Encoder base64 = Base64.getEncoder();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: wavestore-test
                  cluster:
                    server: %s
                    certificate-authority-data: %s
                users:
                - name: wavestore-test-admin
                  user:
                    client-certificate-data: %s
                    client-key-data: %s
                contexts:
                - name: wavestore-test
                  context:
                    cluster: wavestore-test
                    user: wavestore-test-admin
                    namespace: %s
                current-context: wavestore-test
                """.formatted(apiServer(),
                base64.encodeToString(pki.ca.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                base64.encodeToString(pki.admin.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                base64.encodeToString(pki.admin.keyPem().getBytes(StandardCharsets.US_ASCII)),
                namespace);
    }

    private void launch(Path bin, String name, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(name).toString());
        command.addAll(List.of(args));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("KUBECONFIG");
        builder.environment().putAll(environment);
        processes.add(new ManagedProcess(name, builder.start(), log));
        LOG.debug("Started {}: {}", name, command);
    }

    /**
     * What kube-controller-manager and kube-scheduler are both started with, followed by {@code own}: the admin's
     * kubeconfig for the API and for checking their own callers, a loopback port of their own served with the shared
     * serving certificate, and no leader election (one of each).
     */
    private String[] controllerFlags(String component, String kubeconfigPath, String certs, String... own) {
        List<String> flags = new ArrayList<>(List.of(
                "--kubeconfig=" + kubeconfigPath,
                "--authentication-kubeconfig=" + kubeconfigPath,
                "--authorization-kubeconfig=" + kubeconfigPath,
                "--bind-address=127.0.0.1",
                "--secure-port=" + ports.get(component),
                "--cert-dir=" + workDir.resolve(component),
                "--tls-cert-file=" + certs + "/serving.crt",
                "--tls-private-key-file=" + certs + "/serving.key",
                "--leader-elect=false"));
        flags.addAll(List.of(own));
        return flags.toArray(String[]::new);
    }

    private void awaitHealthy(HttpClient http, URI uri, String component) throws InterruptedException {
        await(component + " at " + uri, component, () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200;
            } catch (IOException notYet) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    private void await(String what, String component, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + settings.startTimeout.toNanos();
        while (true) {
            for (ManagedProcess process : processes) {
                if (!process.process.isAlive()) {
                    throw new IllegalStateException(process.name + " exited with code " + process.process.exitValue()
                            + " while waiting for " + what);
                }
            }
            boolean done;
            try {
                done = condition.getAsBoolean();
            } catch (RuntimeException notYet) {
                done = false;
            }
            if (done) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + settings.startTimeout + " waiting for " + what
                        + " (see " + logDir.resolve(component + ".log") + ")");
            }
            Thread.sleep(100);
        }
    }

    /**
     * A shell that outlives the JVM if it is killed: when the JVM's pid is gone it kills the processes and
     * deletes the work dir, so a killed test run leaves no API servers behind.
     */
    private void startWatchdog() throws IOException {
        StringBuilder pids = new StringBuilder();
        for (ManagedProcess process : processes) {
            pids.append(' ').append(process.process.pid());
        }
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done;"
                + " kill -9" + pids + " 2>/dev/null;"
                + (Boolean.getBoolean(KEEP_PROPERTY) ? "" : " rm -rf '" + workDir + "'");
        watchdog = new ProcessBuilder("sh", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
    }

    private static void stopAll(List<ManagedProcess> group) {
        for (ManagedProcess process : group) {
            process.process.descendants().forEach(ProcessHandle::destroy);
            process.process.destroy();
        }
        for (ManagedProcess process : group) {
            try {
                if (!process.process.waitFor(10, TimeUnit.SECONDS)) {
                    LOG.warn("{} did not stop in 10 s; killing it", process.name);
                    process.process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warn("Cannot delete {}: {}", path, e.toString());
                }
            });
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", dir, e.toString());
        }
    }

    private record ManagedProcess(String name, Process process, Path log) {
    }

    /** Options of a control plane; {@link #start()} starts one. */
    public static final class Builder {
        private Path binDir;
        private int nodes = 1;
        private Duration startTimeout = Duration.ofMinutes(3);
        private final List<String> extraStages = new ArrayList<>();

        private Builder() {
        }

        /** The directory holding the binaries; by default {@link ControlPlaneBinaries#locate()}. */
        public Builder binDir(Path binDir) {
            this.binDir = binDir;
            return this;
        }

        /** How many fake Nodes kwok plays (1 by default). */
        public Builder nodes(int nodes) {
            if (nodes < 1) {
                throw new IllegalArgumentException("at least one node, so pods can be scheduled");
            }
            this.nodes = nodes;
            return this;
        }

        /** How long each step of startup may take (3 minutes by default: CI machines can be slow). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /** Another kwok Stage (YAML) to play besides {@link KwokStages#DEFAULT}. */
        public Builder addStage(String stageYaml) {
            extraStages.add(stageYaml);
            return this;
        }

        /** Starts the control plane and waits until it schedules and runs pods; throws with the logs if not. */
        public KubernetesControlPlane start() {
            // The free ports are found by binding and closing; another process may take one before our process
            // binds it. That is rare, and a fresh set of ports fixes it.
            for (int attempt = 1; ; attempt++) {
                KubernetesControlPlane controlPlane;
                try {
                    controlPlane = new KubernetesControlPlane(this);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the control plane's directory", e);
                }
                try {
                    controlPlane.start();
                    return controlPlane;
                } catch (IOException | RuntimeException | InterruptedException e) {
                    String logs = controlPlane.logTails(40);
                    controlPlane.close();
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    } else if (attempt < 3 && logs.contains("address already in use")) {
                        LOG.warn("A port of the control plane was taken meanwhile; starting again with other ports");
                        continue;
                    }
                    throw new IllegalStateException("The Kubernetes control plane did not start: " + e.getMessage()
                            + "\n" + logs, e);
                }
            }
        }
    }
}
