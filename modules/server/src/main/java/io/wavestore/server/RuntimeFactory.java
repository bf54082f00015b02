package io.wavestore.server;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wavestore.scheduler.InstanceCredentials;
import io.wavestore.scheduler.helm.ChartSettings;
import io.wavestore.scheduler.helm.DependencyCacheVolume;
import io.wavestore.scheduler.helm.HelmRuntime;
import io.wavestore.scheduler.helm.PythonImages;
import io.wavestore.scheduler.local.LocalRuntime;
import io.wavestore.scheduler.local.LocalSettings;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.secrets.KubernetesSecretStore;
import io.wavestore.scheduler.secrets.LocalSecretStore;
import io.wavestore.scheduler.secrets.SecretStore;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;

/** Picks where instances run, from {@code wavestore.scheduler.runtime}. */
final class RuntimeFactory {

    static final String LAUNCHER_MAIN = "io.wavestore.launcher.Main";

    private RuntimeFactory() {
    }

    static Optional<InstanceRuntime> create(ActorSystem<?> system, Config scheduler, Path dataDir,
            InstanceCredentials credentials, Optional<SecretStore> secrets) {
        String kind = scheduler.getString("runtime");
        return switch (kind) {
            case "none" -> Optional.empty();
            case "local" -> Optional.of(local(scheduler.getConfig("local"), scheduler.getString("public-url"), dataDir,
                    credentials, secrets, AppOidcSettings.from(system.settings().config()).clientSecret()));
            case "kubernetes" -> Optional.of(kubernetes(scheduler.getConfig("kubernetes")));
            default -> throw new IllegalArgumentException("wavestore.scheduler.runtime (WAVESTORE_RUNTIME) is '" + kind
                    + "'; it must be local, kubernetes or none");
        };
    }

    /** Where the apps' secrets live: next to the instances, as the runtime keeps them. */
    static Optional<SecretStore> secretStore(Config scheduler, Path dataDir) {
        return switch (scheduler.getString("runtime")) {
            case "local" -> Optional.of(new LocalSecretStore(
                    LocalSettings.directory(scheduler.getConfig("local"), "secrets-dir", dataDir, "secrets"), Clock.systemUTC()));
            case "kubernetes" -> {
                KubernetesClient client = kubernetesClient(scheduler.getConfig("kubernetes"));
                yield Optional.of(new KubernetesSecretStore(client, namespace(client, scheduler.getConfig("kubernetes")),
                        Clock.systemUTC()));
            }
            default -> Optional.empty();
        };
    }

    private static InstanceRuntime local(Config local, String publicUrl, Path dataDir, InstanceCredentials credentials,
            Optional<SecretStore> secrets, String appOidcSecret) {
        Duration credentialTtl = local.getDuration("credential-ttl");
        Path classDir = LocalSettings.directory(local, "launcher-class-dir", dataDir, "launcher-classes");
        return new LocalRuntime(LocalSettings.from(local, dataDir, publicUrl, () -> defaultLauncherCommand(classDir),
                appOidcSecret), Clock.systemUTC(), id -> credentials.issue(id, credentialTtl), secrets);
    }

    /**
     * One Helm release per instance in one namespace. The cluster is found as kubectl finds it: the configured
     * kubeconfig, else {@code KUBECONFIG} or {@code ~/.kube/config}, else the pod's service account.
     */
    private static InstanceRuntime kubernetes(Config k8s) {
        String kubeconfig = k8s.getString("kubeconfig");
        KubernetesClient client = kubernetesClient(k8s);
        String namespace = namespace(client, k8s);
        ChartSettings chart = ChartSettings.from(k8s);
        PythonImages pythonImages;
        try {
            pythonImages = PythonImages.parse(k8s.getString("image.by-python"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("wavestore.scheduler.kubernetes.image.by-python (WAVESTORE_K8S_IMAGES_BY_PYTHON): "
                    + e.getMessage(), e);
        }
        return new HelmRuntime(client, kubeconfig.isEmpty() ? Optional.empty() : Optional.of(Path.of(kubeconfig)), namespace,
                chart, pythonImages, new DependencyCacheVolume(k8s.getString("dependency-cache-host-path"),
                        k8s.getString("dependency-cache-max")), serviceAddressing(k8s.getString("service-address")));
    }

    private static KubernetesClient kubernetesClient(Config k8s) {
        String kubeconfig = k8s.getString("kubeconfig");
        io.fabric8.kubernetes.client.Config clientConfig;
        try {
            clientConfig = kubeconfig.isEmpty()
                    ? io.fabric8.kubernetes.client.Config.autoConfigure(null)
                    : io.fabric8.kubernetes.client.Config.fromKubeconfig(java.nio.file.Files.readString(Path.of(kubeconfig)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("wavestore.scheduler.kubernetes.kubeconfig: cannot read " + kubeconfig + ": "
                    + e.getMessage(), e);
        }
        return new KubernetesClientBuilder().withConfig(clientConfig).build();
    }

    private static String namespace(KubernetesClient client, Config k8s) {
        String namespace = k8s.getString("namespace");
        return namespace.isEmpty() ? Optional.ofNullable(client.getNamespace()).orElse("default") : namespace;
    }

    static HelmRuntime.ServiceAddressing serviceAddressing(String value) {
        return switch (value) {
            case "dns" -> HelmRuntime.ServiceAddressing.DNS;
            case "cluster-ip" -> HelmRuntime.ServiceAddressing.CLUSTER_IP;
            default -> throw new IllegalArgumentException(
                    "wavestore.scheduler.kubernetes.service-address: dns or cluster-ip, not '" + value + "'");
        };
    }

    /**
     * The launcher ships with the store: run it with this JVM and the store's own classpath, or only the part of it the
     * launcher needs, and with the class archive of its classes (made in {@code classDir} once per JVM and class
     * path). C1 alone: the launcher mostly waits for its children, and C2's compiler threads competed with waved
     * and the app for the CPU while they start (loadtest/instance-start-time.md: a median 23 s to READY against 10 s
     * at load 26-36).
     */
    static List<String> defaultLauncherCommand(Path classDir) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> options = List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1");
        String classpath = LauncherClasspath.of(storeClasspath());
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        LauncherClassArchive.ensure(classDir, java, options, classpath, LAUNCHER_MAIN)
                .ifPresent(archive -> command.addAll(List.of("-Xshare:auto", "-XX:SharedArchiveFile=" + archive)));
        command.addAll(List.of("-cp", classpath, LAUNCHER_MAIN));
        return command;
    }

    /**
     * Under {@code java -cp} the class path is in {@code java.class.path}; under Maven's exec:java the store runs in
     * a class loader of its own, whose URLs are the class path.
     */
    private static String storeClasspath() {
        ClassLoader loader = RuntimeFactory.class.getClassLoader();
        if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
            List<String> paths = new ArrayList<>();
            for (URL url : urls.getURLs()) {
                try {
                    paths.add(Path.of(url.toURI()).toString());
                } catch (URISyntaxException | IllegalArgumentException e) {
                    // not a file: not something a child JVM can load from
                }
            }
            return String.join(File.pathSeparator, paths);
        }
        return System.getProperty("java.class.path");
    }
}
