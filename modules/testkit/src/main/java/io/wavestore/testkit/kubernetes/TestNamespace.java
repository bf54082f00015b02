package io.wavestore.testkit.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * The namespace a test runs in, made fresh for it by {@link KubernetesExtension} and deleted after it.
 *
 * @param name       the namespace's name
 * @param client     a fabric8 client whose default namespace is this one (closed after the test)
 * @param kubeconfig an administrator's kubeconfig whose current context uses this namespace (for Helm)
 */
public record TestNamespace(String name, KubernetesClient client, Path kubeconfig) {
}
