package io.wavestore.server;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * charts/wavestore as a platform team installs it, with real Helm (helm-java) as the cluster's administrator:
 * {@code helm install} with {@code --set} values, {@code helm upgrade} to change them, {@code helm uninstall}.
 */
final class StoreRelease {

    static final String NAME = "store";
    /** What the chart's "wavestore.fullname" renders for release {@value #NAME}: the Deployment and Service. */
    static final String FULLNAME = "store-wavestore";
    /** The store's pods, as the chart labels them. */
    static final Map<String, String> POD_LABELS = Map.of("app.kubernetes.io/name", "wavestore",
            "app.kubernetes.io/instance", NAME);

    private final TestNamespace namespace;
    private final Map<String, Object> values = new LinkedHashMap<>();

    StoreRelease(TestNamespace namespace) {
        this.namespace = namespace;
    }

    /** A {@code --set key=value}, kept for later upgrades. */
    StoreRelease set(String key, Object value) {
        values.put(key, value);
        return this;
    }

    void install() {
        InstallCommand install = new Helm(chart()).install().withName(NAME).withNamespace(namespace.name())
                .withKubeConfig(namespace.kubeconfig());
        values.forEach(install::set);
        install.call();
    }

    /** helm upgrade with every value set so far (helm upgrade without --reuse-values forgets the others). */
    void upgrade() {
        UpgradeCommand upgrade = new Helm(chart()).upgrade().withName(NAME).withNamespace(namespace.name())
                .withKubeConfig(namespace.kubeconfig());
        values.forEach(upgrade::set);
        upgrade.call();
    }

    void uninstall() {
        Helm.uninstall(NAME).withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig()).call();
    }

    /** The Deployment's replicas that are updated and ready, or 0 before there is one. */
    int readyReplicas() {
        Deployment deployment = namespace.client().apps().deployments().withName(FULLNAME).get();
        if (deployment == null || deployment.getStatus() == null) {
            return 0;
        }
        Integer ready = deployment.getStatus().getReadyReplicas();
        Integer updated = deployment.getStatus().getUpdatedReplicas();
        Integer all = deployment.getStatus().getReplicas();
        return ready == null || !ready.equals(updated) || !ready.equals(all) ? 0 : ready;
    }

    List<Pod> pods() {
        return namespace.client().pods().withLabels(POD_LABELS).list().getItems();
    }

    /** Every store pod's log (and its previous container's, after a restart) into {@code dir}, for a failed run. */
    void saveLogs(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Pod pod : pods()) {
                String name = pod.getMetadata().getName();
                var resource = namespace.client().pods().withName(name);
                Files.writeString(dir.resolve(name + ".log"), logOrWhy(() -> resource.getLog()));
                Files.writeString(dir.resolve(name + ".previous.log"), logOrWhy(() -> resource.getLog(true)));
                Files.writeString(dir.resolve(name + ".status.txt"), String.valueOf(pod.getStatus()));
            }
        } catch (IOException | KubernetesClientException e) {
            System.err.println("cannot save the store's logs: " + e);
        }
    }

    private static String logOrWhy(java.util.function.Supplier<String> log) {
        try {
            return log.get();
        } catch (KubernetesClientException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path chart() {
        Path dir = Path.of("../../charts/wavestore").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + dir + " (tests run from modules/server of a checkout)");
        }
        return dir;
    }
}
