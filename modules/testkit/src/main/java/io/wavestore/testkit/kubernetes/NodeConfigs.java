package io.wavestore.testkit.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The configuration files of a {@link KubernetesNode}'s processes. */
final class NodeConfigs {

    private NodeConfigs() {
    }

    /** The sandbox image's name, as node/build.sh tagged it (its versions.txt). */
    static String pauseImage(Path nodeDir) {
        try {
            return Files.readAllLines(nodeDir.resolve("versions.txt")).stream()
                    .filter(line -> line.startsWith("pause "))
                    .map(line -> line.substring("pause ".length()).strip())
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(nodeDir + "/versions.txt names no pause image"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * containerd's own default configuration with everything of the machine's moved under {@code root}, and two
     * changes this sandbox needs: restrict_oom_score_adj (else runc fails every sandbox with "can't get final
     * child's PID from pipe: EOF", as the pause container's oom_score_adj -998 may not be set) and Debian's CNI
     * plugin directory.
     */
    static String containerd(String defaults, Path root, Path socket, Path cniDir, String pauseImage) {
        String config = defaults;
        config = replaceOnce(config, "root = \"/var/lib/containerd\"", "root = \"" + root.resolve("containerd") + "\"");
        config = replaceOnce(config, "state = \"/run/containerd\"", "state = \"" + root.resolve("state") + "\"");
        config = replaceOnce(config, "address = \"/run/containerd/containerd.sock\"", "address = \"" + socket + "\"");
        config = replaceOnce(config, "restrict_oom_score_adj = false", "restrict_oom_score_adj = true");
        config = config.replaceFirst("sandbox_image = \"[^\"]*\"", "sandbox_image = \"" + pauseImage + "\"");
        config = replaceOnce(config, "bin_dir = \"/opt/cni/bin\"", "bin_dir = \"/usr/lib/cni\"");
        config = replaceOnce(config, "conf_dir = \"/etc/cni/net.d\"", "conf_dir = \"" + cniDir + "\"");
        return config;
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException("containerd's default configuration does not hold `" + from
                    + "` exactly once; has containerd changed?");
        }
        return text.replace(from, to);
    }

    /** One bridge for the node's pods, the machine as their gateway and NAT to the machine's networks. */
    static String cni(String bridge, String subnet, Path ipamDir) {
        return """
                {
                  "cniVersion": "0.4.0",
                  "name": "wavestore",
                  "plugins": [
                    {
                      "type": "bridge", "bridge": "%s", "isGateway": true, "ipMasq": true, "hairpinMode": true,
                      "ipam": {
                        "type": "host-local", "dataDir": "%s",
                        "ranges": [[{"subnet": "%s"}]], "routes": [{"dst": "0.0.0.0/0"}]
                      }
                    },
                    {"type": "portmap", "capabilities": {"portMappings": true}},
                    {"type": "loopback"}
                  ]
                }
                """.formatted(bridge, ipamDir, subnet);
    }

    /**
     * The kubelet: cgroupfs on this cgroup v1 host (failCgroupV1: false), no QoS cgroups, node allocatable or
     * eviction (the sandbox cannot enforce them), its API on the gateway for clients with a certificate of the
     * control plane's CA (the API server's, for logs and exec), everything it writes under the node's directory.
     */
    static String kubelet(Path socket, int port, int healthzPort, String address, Path clientCa, Path podLogs,
                          String clusterDns) {
        return """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                address: %s
                port: %d
                readOnlyPort: 0
                healthzBindAddress: 127.0.0.1
                healthzPort: %d
                containerRuntimeEndpoint: unix://%s
                failCgroupV1: false
                cgroupDriver: cgroupfs
                cgroupsPerQOS: false
                enforceNodeAllocatable: []
                failSwapOn: false
                localStorageCapacityIsolation: false
                evictionHard: {}
                imageGCHighThresholdPercent: 100
                serializeImagePulls: false
                podLogsDir: %s
                authentication:
                  anonymous: {enabled: false}
                  webhook: {enabled: false}
                  x509: {clientCAFile: %s}
                authorization: {mode: AlwaysAllow}
                clusterDNS: [%s]
                clusterDomain: cluster.local
                """.formatted(address, port, healthzPort, socket, podLogs, clientCa, clusterDns);
    }

    /**
     * kube-proxy in iptables mode; it leaves the conntrack sysctls alone, which the sandbox refuses. NodePorts answer on
     * the gateway only: on every address they would take the port from whatever else on this machine listens there.
     */
    static String kubeProxy(Path kubeconfig, String hostname, int healthzPort, int metricsPort) {
        return """
                apiVersion: kubeproxy.config.k8s.io/v1alpha1
                kind: KubeProxyConfiguration
                clientConnection: {kubeconfig: %s}
                hostnameOverride: %s
                mode: iptables
                clusterCIDR: 10.244.0.0/16
                healthzBindAddress: 127.0.0.1:%d
                metricsBindAddress: 127.0.0.1:%d
                conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
                iptables: {localhostNodePorts: false}
                nodePortAddresses: [10.244.0.1/32]
                """.formatted(kubeconfig, hostname, healthzPort, metricsPort);
    }

    /** CoreDNS on the gateway: the cluster's names from the API server, everything else from the machine's DNS. */
    static String corefile(String address, Path kubeconfig) {
        return """
                .:53 {
                    bind %s
                    errors
                    kubernetes cluster.local in-addr.arpa ip6.arpa {
                        kubeconfig %s wavestore-test
                        pods insecure
                        fallthrough in-addr.arpa ip6.arpa
                    }
                    forward . /etc/resolv.conf
                    cache 30
                }
                """.formatted(address, kubeconfig);
    }
}
