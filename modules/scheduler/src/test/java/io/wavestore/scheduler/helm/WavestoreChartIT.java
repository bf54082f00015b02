package io.wavestore.scheduler.helm;

import static io.wavestore.scheduler.helm.StoreChart.FULLNAME;
import static io.wavestore.scheduler.helm.StoreChart.RELEASE;
import static io.wavestore.scheduler.helm.StoreChart.remove;
import static io.wavestore.scheduler.helm.StoreChart.set;
import static io.wavestore.scheduler.helm.WavestoreChartTest.container;
import static io.wavestore.scheduler.helm.WavestoreChartTest.decoded;
import static io.wavestore.scheduler.helm.WavestoreChartTest.rules;
import static io.wavestore.scheduler.helm.WavestoreChartTest.secretRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wavestore.scheduler.runtime.InstanceHealth.Phase;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import io.wavestore.testkit.kubernetes.KubernetesControlPlane;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * charts/wavestore installed with real Helm on a real API server (kwok plays the nodes: the store's pods "run"
 * without running the image), its instances in a namespace of their own. Checks what was made, that an upgrade keeps
 * the generated credential secret, and that the store's ServiceAccount may do what HelmRuntime does, and no more.
 */
@ExtendWith(KubernetesExtension.class)
class WavestoreChartIT {

    private static final String SA_USER_PREFIX = "system:serviceaccount:";
    private static final String CREDENTIAL_KEY = "instance-credential-secret";

    private String apps;

    @BeforeEach
    void createInstanceNamespace(KubernetesControlPlane controlPlane) {
        apps = "apps-" + UUID.randomUUID().toString().substring(0, 8);
        try (KubernetesClient admin = controlPlane.newClient()) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(apps)
                    .addToLabels("wavestore.io/test", "true").endMetadata().build()).create();
        }
    }

    @AfterEach
    void deleteInstanceNamespace(KubernetesControlPlane controlPlane) {
        try (KubernetesClient admin = controlPlane.newClient()) {
            admin.namespaces().withName(apps).delete();
        }
    }

    @Test
    void installsTheStoreAndAnUpgradeKeepsItsGeneratedCredentialSecret(TestNamespace namespace) throws IOException {
        KubernetesClient client = namespace.client();
        install(namespace, values());

        Deployment deployment = client.apps().deployments().withName(FULLNAME).get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        var store = container(deployment);
        assertThat(store.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/alive");
        assertThat(store.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(store.getStartupProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(FULLNAME);
        assertThat(secretRef(store, "WAVESTORE_INSTANCE_CREDENTIAL_SECRET")).isEqualTo(FULLNAME + "/" + CREDENTIAL_KEY);
        Await.until("three store replicas to be ready", () -> client.apps().deployments().withName(FULLNAME).get(),
                d -> d.getStatus() != null && Integer.valueOf(3).equals(d.getStatus().getReadyReplicas()));

        assertThat(client.serviceAccounts().withName(FULLNAME).get()).isNotNull();
        Service service = client.services().withName(FULLNAME).get();
        assertThat(service.getSpec().getClusterIP()).isNotBlank();
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
        Await.until("the Service to select the replicas", () -> client.discovery().v1().endpointSlices()
                        .withLabel("kubernetes.io/service-name", FULLNAME).list().getItems().stream()
                        .mapToLong(slice -> slice.getEndpoints().size()).sum(), n -> n == 3);
        PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().withName(FULLNAME).get();
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        Await.until("the PDB to count the replicas", () -> client.policy().v1().podDisruptionBudget().withName(FULLNAME).get(),
                p -> p.getStatus() != null && p.getStatus().getExpectedPods() == 3 && p.getStatus().getDisruptionsAllowed() == 1);

        assertThat(rules(client.rbac().roles().inNamespace(apps).withName(FULLNAME + "-instances").get()))
                .containsEntry("/secrets", "create,delete,get,list,patch,update,watch")
                .containsEntry("/pods/log", "get");
        assertThat(rules(client.rbac().roles().withName(FULLNAME + "-discovery").get())).isEqualTo(Map.of("/pods", "list"));
        RoleBinding binding = client.rbac().roleBindings().inNamespace(apps).withName(FULLNAME + "-instances").get();
        assertThat(binding.getSubjects()).singleElement()
                .satisfies(s -> assertThat(s.getNamespace() + "/" + s.getName()).isEqualTo(namespace.name() + "/" + FULLNAME));
        NetworkPolicy policy = client.network().v1().networkPolicies().inNamespace(apps).withName(FULLNAME + "-instances").get();
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/name", "wave-instance");

        Map<String, String> secret = decoded(client.secrets().withName(FULLNAME).get());
        String credential = secret.get(CREDENTIAL_KEY);
        assertThat(credential).hasSize(48);
        assertThat(secret).containsEntry("password", "db-password").containsEntry("client-secret", "oidc-client-secret");

        Map<String, Object> changed = set(values(), "replicaCount", 5);
        set(changed, "database.password", "rotated-password");
        upgrade(namespace, changed);

        Secret after = client.secrets().withName(FULLNAME).get();
        assertThat(decoded(after)).containsEntry(CREDENTIAL_KEY, credential).containsEntry("password", "rotated-password");
        assertThat(client.apps().deployments().withName(FULLNAME).get().getSpec().getReplicas()).isEqualTo(5);
    }

    @Test
    void theStoresServiceAccountMayDoWhatHelmRuntimeDoesAndNothingElse(TestNamespace namespace) throws IOException {
        install(namespace, values());
        KubernetesClient client = namespace.client();
        String store = namespace.name();

        for (String resource : List.of("secrets", "services", "configmaps", "apps/deployments", "persistentvolumeclaims")) {
            for (String verb : List.of("get", "create", "patch", "delete")) {
                assertThat(allowed(client, store, apps, verb, resource)).as(verb + " " + resource).isTrue();
            }
        }
        for (String verb : List.of("list", "watch", "update")) {
            assertThat(allowed(client, store, apps, verb, "secrets")).as(verb + " secrets").isTrue();
        }
        assertThat(allowed(client, store, apps, "deletecollection", "persistentvolumeclaims")).isTrue();
        for (String verb : List.of("get", "list", "watch")) {
            assertThat(allowed(client, store, apps, verb, "pods")).as(verb + " pods").isTrue();
        }
        assertThat(allowed(client, store, apps, "get", "pods/log")).isTrue();
        assertThat(allowed(client, store, apps, "list", "events")).isTrue();
        assertThat(allowed(client, store, store, "list", "pods")).as("bootstrap lists the store's pods").isTrue();

        // Nothing beyond that: not the store's own namespace, not other kinds, not cluster-wide, not pod exec.
        assertThat(allowed(client, store, store, "get", "secrets")).as("the store's own Secrets").isFalse();
        assertThat(allowed(client, store, store, "create", "apps/deployments")).isFalse();
        assertThat(allowed(client, store, store, "get", "pods")).isFalse();
        assertThat(allowed(client, store, apps, "delete", "pods")).isFalse();
        assertThat(allowed(client, store, apps, "create", "pods/exec")).isFalse();
        assertThat(allowed(client, store, apps, "create", "rbac.authorization.k8s.io/roles")).isFalse();
        assertThat(allowed(client, store, apps, "create", "networking.k8s.io/networkpolicies")).isFalse();
        assertThat(allowed(client, store, "default", "list", "secrets")).isFalse();
        assertThat(allowed(client, store, "", "list", "nodes")).isFalse();
        assertThat(allowed(client, store, "", "list", "namespaces")).isFalse();
    }

    @Test
    void helmRuntimeRunsInstancesWithTheStoresServiceAccountAlone(TestNamespace namespace, KubernetesControlPlane controlPlane)
            throws Exception {
        install(namespace, values());
        String token = namespace.client().serviceAccounts().withName(FULLNAME).tokenRequest(new TokenRequestBuilder()
                .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        Path kubeconfig = controlPlane.kubeconfigWithToken(apps, token);
        KubernetesClient admin = namespace.client();

        try (KubernetesClient asStore = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
             HelmRuntime runtime = new HelmRuntime(asStore, Optional.of(kubeconfig), apps, ChartSettings.defaults())) {
            RecordingEvents events = new RecordingEvents();
            try (Closeable watch = runtime.watch(events)) {
                String id = "i-as-store";
                runtime.install(TestSpecs.spec(id));
                Await.until(id + " to run", () -> runtime.health(id), h -> h.phase() == Phase.RUNNING);
                events.await(RecordingEvents.Health.class, e -> e.instanceId().equals(id) && e.health().phase() == Phase.RUNNING);
                try (InstanceRuntime.LogStream log = runtime.logs(id, 10, false)) {
                    assertThat(log.nextLine()).contains(KubernetesControlPlane.CONTAINER_LOG.strip());
                }

                runtime.upgrade(TestSpecs.spec(TestSpecs.suspended(TestSpecs.record(id), true), TestSpecs.runtime()));
                Await.until(id + " to stop", () -> runtime.health(id), h -> h.phase() == Phase.STOPPED);
                assertThat(runtime.get(id).map(InstanceRecord::suspended)).contains(true);

                // An instance with a volume: Helm creates its claim, HelmRuntime deletes it by label after Helm.
                String withVolume = "i-volume";
                runtime.install(TestSpecs.spec(TestSpecs.record(withVolume),
                        TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "1Gi", null)));
                assertThat(admin.persistentVolumeClaims().inNamespace(apps).withName(withVolume + "-data").get()).isNotNull();
                runtime.uninstall(withVolume);
                Await.until("the claim to go", () -> admin.persistentVolumeClaims().inNamespace(apps).list().getItems(),
                        List::isEmpty);

                runtime.uninstall(id);
                assertThat(runtime.list()).isEmpty();
                events.await(RecordingEvents.Removed.class, e -> e.instanceId().equals(id));
            }
        }

        // The same account anywhere else: Helm is refused by the API server.
        Path elsewhere = controlPlane.kubeconfigWithToken(namespace.name(), token);
        try (KubernetesClient asStore = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(elsewhere))).build();
             HelmRuntime runtime = new HelmRuntime(asStore, Optional.of(elsewhere), namespace.name(), ChartSettings.defaults())) {
            assertThatThrownBy(() -> runtime.install(TestSpecs.spec("i-not-here")))
                    .isInstanceOf(RuntimeFailure.class).hasMessageContaining("forbidden");
        }
    }

    /** The values of a real install: the chart generates the credential secret; instances in their own namespace. */
    private Map<String, Object> values() {
        Map<String, Object> values = remove(StoreChart.values(), "instances.credentialSecret.existingSecret");
        set(values, "instanceNamespace", apps);
        set(values, "networkPolicy.enabled", true);
        return values;
    }

    private static void install(TestNamespace namespace, Map<String, Object> values) throws IOException {
        helm(false, namespace, values);
    }

    private static void upgrade(TestNamespace namespace, Map<String, Object> values) throws IOException {
        helm(true, namespace, values);
    }

    /** helm install or helm upgrade of the store chart, with exactly these values, as the administrator. */
    private static void helm(boolean upgrade, TestNamespace namespace, Map<String, Object> values) throws IOException {
        Path file = Files.createTempFile("store-values-", ".json");
        try {
            new ObjectMapper().writeValue(file.toFile(), values);
            Helm helm = new Helm(StoreChart.dir());
            if (upgrade) {
                helm.upgrade().withName(RELEASE).withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig())
                        .withValuesFile(file).call();
            } else {
                helm.install().withName(RELEASE).withNamespace(namespace.name()).withKubeConfig(namespace.kubeconfig())
                        .withValuesFile(file).call();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Whether the API server's RBAC authorizer lets the store's ServiceAccount do {@code verb} on "[group/]resource[/sub]". */
    private static boolean allowed(KubernetesClient client, String storeNamespace, String namespace, String verb,
                                   String resource) {
        String group = "";
        String name = resource;
        if (resource.contains(".") || resource.startsWith("apps/")) {
            group = resource.substring(0, resource.indexOf('/'));
            name = resource.substring(resource.indexOf('/') + 1);
        }
        String[] parts = name.split("/", 2);
        ResourceAttributesBuilder attributes = new ResourceAttributesBuilder().withNamespace(namespace).withVerb(verb)
                .withGroup(group).withResource(parts[0]);
        if (parts.length == 2) {
            attributes.withSubresource(parts[1]);
        }
        SubjectAccessReview review = client.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser(SA_USER_PREFIX + storeNamespace + ":" + FULLNAME)
                .withGroups("system:serviceaccounts", "system:serviceaccounts:" + storeNamespace, "system:authenticated")
                .withResourceAttributes(attributes.build())
                .endSpec().build());
        return review.getStatus().getAllowed();
    }
}
