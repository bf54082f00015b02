package io.wavestore.testkit.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a {@link KubernetesNode} leaves on the machine: its processes (kubelet, containerd and its shims,
 * kube-proxy, CoreDNS, every container), mounts, network namespaces, the bridge, the iptables chains of kube-proxy
 * and of the CNI plugins, and its directory. {@link KubernetesNode#close()} uses it; a node's start sweeps every
 * directory a killed test left behind with it.
 */
final class NodeSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(NodeSweeper.class);
    private static final Pattern OURS = Pattern.compile("(CNI|KUBE)-");

    private NodeSweeper() {
    }

    /** Cleans every node directory under {@code stateRoot}; the caller holds the lock, so none is in use. */
    static void sweep(Path stateRoot) throws IOException {
        try (Stream<Path> dirs = Files.list(stateRoot)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                LOG.warn("Sweeping the leftovers of a Kubernetes node a killed test left: {}", dir);
                clean(dir);
            }
        }
    }

    static void clean(Path root) {
        // Processes started from the directory (their command line names it) and containers (their root is in it).
        for (int round = 0; round < 3 && killProcessesOf(root) > 0; round++) {
            // Again: a shim killed in one round may have started a process the round missed.
        }
        Path nodeDir = readPath(root.resolve("node-dir"));
        if (nodeDir != null && Files.isExecutable(nodeDir.resolve("bin/kube-proxy"))) {
            Host.tryRun(nodeDir.resolve("bin/kube-proxy").toString(), "--cleanup");
        }
        unmountUnder(root.toString());
        unmountUnder("/run/netns/cni-");
        Host.tryRun("ip", "link", "del", KubernetesNode.BRIDGE);
        removeChains();
        removeOutsideLeftovers(root);
        KubernetesNode.delete(root);
    }

    private static int killProcessesOf(Path root) {
        String prefix = root.toString();
        long self = ProcessHandle.current().pid();
        int killed = 0;
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            if (process.pid() == self) {
                continue;
            }
            boolean ours = process.info().commandLine().map(c -> c.contains(prefix)).orElse(false)
                    || containerRootUnder(process.pid(), prefix);
            if (ours && process.destroyForcibly()) {
                killed++;
            }
        }
        return killed;
    }

    private static boolean containerRootUnder(long pid, String prefix) {
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "root")).toString().startsWith(prefix);
        } catch (IOException | UnsupportedOperationException | SecurityException gone) {
            return false;
        }
    }

    private static void unmountUnder(String prefix) {
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4])
                    .filter(point -> point.startsWith(prefix))
                    .sorted(Comparator.comparing(String::length).reversed())
                    .toList();
        } catch (IOException e) {
            LOG.warn("Cannot read the mount table: {}", e.toString());
            return;
        }
        for (String point : mounts) {
            Host.tryRun("umount", "--lazy", point);
        }
        if (prefix.startsWith("/run/netns/")) {
            for (String point : mounts) {
                Host.tryRun("rm", "-f", point);
            }
        }
    }

    /**
     * The chains of the CNI plugins (CNI-*: masquerade, portmap) and of the kubelet and kube-proxy (KUBE-*: the
     * kubelet's KUBE-FIREWALL drops packets to 127.0.0.0/8 from other sources), in every table they use, for IPv4
     * and IPv6. No other Kubernetes runs on a test machine, so all of them are ours.
     */
    private static void removeChains() {
        for (String tool : List.of("iptables", "ip6tables")) {
            for (String table : List.of("nat", "filter", "mangle")) {
                removeChains(tool, table);
            }
        }
    }

    private static void removeChains(String tool, String table) {
        String rules;
        try {
            rules = Host.run(tool + "-save", "-t", table);
        } catch (RuntimeException e) {
            return;
        }
        for (String rule : rules.lines().filter(l -> l.startsWith("-A ") && OURS.matcher(l).find()).toList()) {
            if (!OURS.matcher(rule.split(" ")[1]).lookingAt()) {
                // A jump from a built-in chain; through sh, as the rule's comment is quoted as the save wrote it.
                Host.tryRun("sh", "-c", tool + " -t " + table + " -D " + rule.substring(3));
            }
        }
        List<String> chains = rules.lines().filter(l -> l.startsWith(":") && OURS.matcher(l.substring(1)).lookingAt())
                .map(l -> l.substring(1).split(" ")[0]).toList();
        chains.forEach(chain -> Host.tryRun(tool, "-t", table, "-F", chain));
        chains.forEach(chain -> Host.tryRun(tool, "-t", table, "-X", chain));
    }

    /**
     * What the kubelet and containerd write outside the directory whatever they are told: the kubelet's links in
     * /var/log/containers to its pods' logs, and containerd's shim sockets in /run/containerd/s (a stale one
     * refuses connections; no other containerd runs on a test machine).
     */
    private static void removeOutsideLeftovers(Path root) {
        try (Stream<Path> links = Files.list(Path.of("/var/log/containers"))) {
            for (Path link : links.filter(Files::isSymbolicLink).toList()) {
                if (Files.readSymbolicLink(link).startsWith(root)) {
                    Files.deleteIfExists(link);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("No kubelet log links to remove: {}", e.toString());
        }
        try (Stream<Path> sockets = Files.list(Path.of("/run/containerd/s"))) {
            for (Path socket : sockets.toList()) {
                try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    LOG.debug("{} is in use", channel.getRemoteAddress());
                } catch (IOException stale) {
                    Files.deleteIfExists(socket);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("No shim sockets to remove: {}", e.toString());
        }
    }

    private static Path readPath(Path file) {
        try {
            return Files.isRegularFile(file) ? Path.of(Files.readString(file).strip()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
