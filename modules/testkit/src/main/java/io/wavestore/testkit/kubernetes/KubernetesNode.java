package io.wavestore.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavestore.testkit.RepositoryScripts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
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
 * A real Kubernetes node for a {@link KubernetesControlPlane}: containerd (Debian's, with runc and the CNI
 * plugins) with the given images imported, a kubelet registered with the control plane's API server, kube-proxy
 * (iptables) and CoreDNS on the host. Pods get addresses on the bridge {@value #BRIDGE}, {@value #POD_SUBNET},
 * whose gateway {@value #GATEWAY} is this machine: bind there what pods must reach (never 0.0.0.0); pods reach
 * the machine's networks through NAT, and {@code <svc>.<ns>.svc.cluster.local} resolves in them.
 *
 * <p>Needs root. One node per machine at a time (the bridge, port 53 on the gateway and kube-proxy's iptables
 * rules are the machine's): a lock file makes a second one wait. Everything lives under one directory below
 * {@value #STATE_ROOT}; {@link #close()} stops it all and deletes it, and the next start sweeps what a killed
 * test left behind (processes, mounts, the bridge, iptables chains).
 */
public final class KubernetesNode implements AutoCloseable {

    public static final String NAME = "wavestore-node";
    public static final String BRIDGE = "wscni0";
    public static final String GATEWAY = "10.244.0.1";
    public static final String POD_SUBNET = "10.244.0.0/24";
    static final Path STATE_ROOT = Path.of("/tmp/wavestore-node");

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesNode.class);
    private static final String NAMESPACE = "k8s.io";

    private final KubernetesControlPlane controlPlane;
    private final Path root;
    private final Path socket;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final List<GatewayRelay> relays = new ArrayList<>();
    private final FileChannel lockFile;
    private final FileLock lock;
    private Thread shutdownHook;
    private Duration startupTime;
    private boolean closed;

    private KubernetesNode(KubernetesControlPlane controlPlane) throws IOException {
        this.controlPlane = controlPlane;
        Files.createDirectories(STATE_ROOT);
        this.lockFile = FileChannel.open(STATE_ROOT.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = lockFile.lock();
        NodeSweeper.sweep(STATE_ROOT);
        this.root = Files.createTempDirectory(STATE_ROOT, "n");
        this.socket = root.resolve("containerd.sock");
    }

    /**
     * Starts a node for {@code controlPlane} with these OCI image archives imported (besides the pause image),
     * cordons the control plane's kwok nodes so pods land here, and waits until the node is Ready.
     */
    public static KubernetesNode start(KubernetesControlPlane controlPlane, List<Path> images) {
        KubernetesNode node;
        try {
            node = new KubernetesNode(controlPlane);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the node's directory", e);
        }
        try {
            node.start(NodeArtifacts.nodeDir(), images);
            return node;
        } catch (IOException | RuntimeException | InterruptedException e) {
            String logs = node.logTails(40);
            node.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("The Kubernetes node did not start: " + e.getMessage() + "\n" + logs, e);
        }
    }

    /** How long {@link #start} took, from nothing to a Ready node with every image imported. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Makes a server listening on 127.0.0.1:{@code loopbackPort} reachable from pods, at {@link #GATEWAY} on the
     * returned port, until the node closes.
     */
    public synchronized int exposeToPods(int loopbackPort) {
        GatewayRelay relay = GatewayRelay.open(loopbackPort);
        relays.add(relay);
        return relay.port();
    }

    /** This node's directory (logs under logs/). */
    public Path root() {
        return root;
    }

    /** The last lines of each process's log, for a test that failed. */
    public String logTails(int lines) {
        StringBuilder out = new StringBuilder();
        for (String name : processes.keySet()) {
            Path log = root.resolve("logs").resolve(name + ".log");
            out.append("----- ").append(name).append(" (").append(log).append(") -----\n");
            try {
                List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("(cannot read: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    private void start(Path nodeDir, List<Path> images) throws IOException, InterruptedException {
        long started = System.nanoTime();
        shutdownHook = new Thread(this::close, "kubernetes-node-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path bin = nodeDir.resolve("bin");
        Files.createDirectories(root.resolve("logs"));
        Files.writeString(root.resolve("node-dir"), nodeDir.toString());

        // The bridge exists before any pod, so the store and CoreDNS can bind the gateway address at once; the
        // CNI bridge plugin takes it over as it finds it.
        Host.run("ip", "link", "add", BRIDGE, "type", "bridge");
        Host.run("ip", "addr", "add", GATEWAY + "/24", "dev", BRIDGE);
        Host.run("ip", "link", "set", BRIDGE, "up");

        Path cni = Files.createDirectories(root.resolve("cni"));
        Files.writeString(cni.resolve("10-wavestore.conflist"), NodeConfigs.cni(BRIDGE, POD_SUBNET, root.resolve("cni-ipam")));
        String pauseImage = NodeConfigs.pauseImage(nodeDir);
        Path containerdConfig = root.resolve("containerd.toml");
        Files.writeString(containerdConfig, NodeConfigs.containerd(Host.run("containerd", "config", "default"), root,
                socket, cni, pauseImage));
        launch("containerd", List.of("containerd", "--config", containerdConfig.toString()));
        await("containerd's socket", () -> Files.exists(socket) && ctrWorks());
        List<Path> all = new ArrayList<>(List.of(nodeDir.resolve("images/pause.oci.tar")));
        all.addAll(images);
        for (Path image : all) {
            long importStarted = System.nanoTime();
            ctr("images", "import", image.toString());
            LOG.info("Imported {} into the node's containerd in {} ms", image.getFileName(),
                    (System.nanoTime() - importStarted) / 1_000_000);
        }

        Path kubeconfig = controlPlane.kubeconfig();
        Path kubeletConfig = root.resolve("kubelet.yaml");
        Files.writeString(kubeletConfig, NodeConfigs.kubelet(socket, freePort(), freePort(), GATEWAY,
                controlPlane.workDir().resolve("pki/ca.crt"), root.resolve("pod-logs"), GATEWAY));
        launch("kubelet", List.of(bin.resolve("kubelet").toString(),
                "--config=" + kubeletConfig,
                "--kubeconfig=" + kubeconfig,
                "--root-dir=" + root.resolve("kubelet"),
                "--hostname-override=" + NAME,
                "--node-ip=" + GATEWAY,
                "--node-labels=type=real",
                "--v=1"));
        Path proxyConfig = root.resolve("kube-proxy.yaml");
        Files.writeString(proxyConfig, NodeConfigs.kubeProxy(kubeconfig, NAME, freePort(), freePort()));
        launch("kube-proxy", List.of(bin.resolve("kube-proxy").toString(), "--config=" + proxyConfig, "--v=1"));
        Path corefile = root.resolve("Corefile");
        Files.writeString(corefile, NodeConfigs.corefile(GATEWAY, kubeconfig));
        launch("coredns", List.of(bin.resolve("coredns").toString(), "-conf", corefile.toString()));

        try (KubernetesClient client = controlPlane.newClient()) {
            // Pods that talk to the API server (a store's replicas, in-cluster) reach it as on any cluster: through
            // the kubernetes Service, whose endpoint is a relay on the gateway to the loopback-only API server.
            KubernetesApiEndpoint.pointAt(client, GATEWAY, exposeToPods(controlPlane.apiServer().getPort()));
            await("the node " + NAME + " to be Ready", () -> ready(client.nodes().withName(NAME).get()));
            // Pods go to the real node: the kwok nodes stay, but take no new pods.
            for (String kwok : controlPlane.nodeNames()) {
                client.nodes().withName(kwok).edit(n -> {
                    n.getSpec().setUnschedulable(true);
                    return n;
                });
            }
        }
        startupTime = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("Kubernetes node {} Ready in {} ms (directory {})", NAME, startupTime.toMillis(), root);
    }

    private static boolean ready(Node node) {
        return node != null && node.getStatus() != null && node.getStatus().getConditions() != null
                && node.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private boolean ctrWorks() {
        try {
            ctr("version");
            return true;
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    private String ctr(String... args) {
        List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", NAMESPACE));
        command.addAll(List.of(args));
        return Host.run(command.toArray(String[]::new));
    }

    private void launch(String name, List<String> command) throws IOException {
        Path log = root.resolve("logs").resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("KUBECONFIG");
        Process process = builder.start();
        processes.put(name, process);
        // A later start reads these to kill what a killed test left running.
        Files.writeString(root.resolve(name + ".pid"), Long.toString(process.pid()));
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            for (Map.Entry<String, Process> process : processes.entrySet()) {
                if (!process.getValue().isAlive()) {
                    throw new IllegalStateException(process.getKey() + " exited with code "
                            + process.getValue().exitValue() + " while waiting for " + what);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 3 minutes waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The kubelet first, so it restarts nothing; then every container, then the runtime and the rest.
        stop(processes.get("kubelet"));
        try {
            for (String task : ctr("tasks", "ls", "--quiet").lines().filter(l -> !l.isBlank()).toList()) {
                ctr("tasks", "kill", "--signal", "SIGKILL", task.strip());
            }
        } catch (IllegalStateException e) {
            LOG.warn("Cannot list the node's containers: {}", e.getMessage());
        }
        processes.values().forEach(KubernetesNode::stop);
        relays.forEach(GatewayRelay::close);
        NodeSweeper.clean(root);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or about to.
            }
        }
        try {
            lock.release();
            lockFile.close();
        } catch (IOException e) {
            LOG.warn("Cannot release the node lock: {}", e.toString());
        }
    }

    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes a directory tree that holds no more mounts. */
    static void delete(Path dir) {
        RepositoryScripts.deleteRecursively(dir);
        if (Files.exists(dir)) {
            try (Stream<Path> left = Files.walk(dir)) {
                LOG.warn("Could not delete all of {}: e.g. {}", dir,
                        left.sorted(Comparator.reverseOrder()).limit(3).toList());
            } catch (IOException | UncheckedIOException e) {
                LOG.warn("Could not delete all of {}", dir);
            }
        }
    }
}
