package io.wavestore.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real Helm (through helm-java) against the control plane: releases live as Secrets, as on any cluster. */
@ExtendWith(KubernetesExtension.class)
class HelmReleaseIT {

    @Test
    void installsUpgradesListsAndUninstallsAChart(TestNamespace namespace) throws Exception {
        Path chart = Path.of(HelmReleaseIT.class.getResource("/charts/hello").toURI());
        KubernetesClient client = namespace.client();

        Release installed = new Helm(chart).install()
                .withName("greeter")
                .withNamespace(namespace.name())
                .withKubeConfig(namespace.kubeconfig())
                .waitReady()
                .withTimeout(120)
                .call();
        assertThat(installed.getStatus()).isEqualTo("deployed");
        assertThat(installed.getRevision()).isEqualTo("1");
        assertThat(client.apps().deployments().withName("greeter").get().getStatus().getReadyReplicas()).isEqualTo(1);
        assertThat(releaseSecrets(client)).extracting(HelmReleaseIT::summary)
                .containsExactly("sh.helm.release.v1.greeter.v1 helm.sh/release.v1 name=greeter status=deployed version=1");

        Release upgraded = new Helm(chart).upgrade()
                .withName("greeter")
                .withNamespace(namespace.name())
                .withKubeConfig(namespace.kubeconfig())
                .set("message", "bonjour")
                .set("replicas", "2")
                .waitReady()
                .withTimeout(120)
                .call();
        assertThat(upgraded.getStatus()).isEqualTo("deployed");
        assertThat(upgraded.getRevision()).isEqualTo("2");
        assertThat(client.configMaps().withName("greeter-config").get().getData()).containsEntry("message", "bonjour");
        assertThat(client.apps().deployments().withName("greeter").get().getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(releaseSecrets(client)).extracting(HelmReleaseIT::summary).containsExactly(
                "sh.helm.release.v1.greeter.v1 helm.sh/release.v1 name=greeter status=superseded version=1",
                "sh.helm.release.v1.greeter.v2 helm.sh/release.v1 name=greeter status=deployed version=2");

        List<Release> listed = Helm.list()
                .withNamespace(namespace.name())
                .withKubeConfig(namespace.kubeconfig())
                .call();
        assertThat(listed).singleElement().satisfies(release -> {
            assertThat(release.getName()).isEqualTo("greeter");
            assertThat(release.getRevision()).isEqualTo("2");
            assertThat(release.getStatus()).isEqualTo("deployed");
            assertThat(release.getChart()).isEqualTo("hello-0.1.0");
        });

        Helm.uninstall("greeter")
                .withNamespace(namespace.name())
                .withKubeConfig(namespace.kubeconfig())
                .call();
        assertThat(releaseSecrets(client)).isEmpty();
        assertThat(client.apps().deployments().withName("greeter").get()).isNull();
        client.pods().withLabel("app.kubernetes.io/instance", "greeter").informOnCondition(List::isEmpty)
                .orTimeout(60, TimeUnit.SECONDS).join();
        assertThat(Helm.list().withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig()).call()).isEmpty();
    }

    private static List<Secret> releaseSecrets(KubernetesClient client) {
        return client.secrets().withLabel("owner", "helm").list().getItems().stream()
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .toList();
    }

    private static String summary(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return secret.getMetadata().getName() + " " + secret.getType() + " name=" + labels.get("name")
                + " status=" + labels.get("status") + " version=" + labels.get("version");
    }
}
