package io.wavestore.scheduler.helm;

import static io.wavestore.scheduler.helm.ChartRendering.objects;
import static io.wavestore.scheduler.helm.ChartRendering.ofKind;
import static io.wavestore.scheduler.helm.ChartRendering.one;
import static io.wavestore.scheduler.helm.ChartRendering.template;
import static io.wavestore.scheduler.helm.StoreChart.FULLNAME;
import static io.wavestore.scheduler.helm.StoreChart.RELEASE;
import static io.wavestore.scheduler.helm.StoreChart.remove;
import static io.wavestore.scheduler.helm.StoreChart.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** charts/wavestore, linted and rendered by real Helm (helm-java) for each way a platform team may configure it. */
class WavestoreChartTest {

    static final String NAMESPACE = "wavestore";
    static final Map<String, String> SELECTOR = Map.of(
            "app.kubernetes.io/name", "wavestore",
            "app.kubernetes.io/instance", RELEASE,
            "app.kubernetes.io/component", "store");

    @Test
    void lintsCleanEvenInStrictMode() {
        ChartRendering.assertLintsCleanInStrictMode(StoreChart.dir());
    }

    @Test
    void rendersAReplicatedStoreWithS3AndOidc() throws IOException {
        List<HasMetadata> objects = render(StoreChart.values());

        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder("Deployment/" + FULLNAME, "Service/" + FULLNAME, "ServiceAccount/" + FULLNAME,
                        "Secret/" + FULLNAME, "PodDisruptionBudget/" + FULLNAME,
                        "Role/" + FULLNAME + "-instances", "RoleBinding/" + FULLNAME + "-instances",
                        "Role/" + FULLNAME + "-discovery", "RoleBinding/" + FULLNAME + "-discovery");
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(NAMESPACE));

        Deployment deployment = one(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(SELECTOR);
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(FULLNAME);
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(45L);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", "8558");
        assertThat(deployment.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(term -> assertThat(term.getPodAffinityTerm().getLabelSelector().getMatchLabels()).isEqualTo(SELECTOR));

        Container store = container(deployment);
        assertThat(store.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8080", "management:8558", "remoting:25520");
        assertThat(store.getStartupProbe().getHttpGet().getPath()).isEqualTo("/alive");
        assertThat(store.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/alive");
        assertThat(store.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(store.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(store.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(store.getStartupProbe().getFailureThreshold() * store.getStartupProbe().getPeriodSeconds())
                .isGreaterThanOrEqualTo(300);

        Map<String, String> env = plainEnv(store);
        assertThat(env)
                .containsEntry("JAVA_TOOL_OPTIONS", "-Dconfig.file=/opt/wavestore/cluster-config/kubernetes.conf")
                .containsEntry("WAVESTORE_HTTP_PORT", "8080")
                .containsEntry("WAVESTORE_SHUTDOWN_DEADLINE", "10s")
                .containsEntry("WAVESTORE_MANAGEMENT_PORT", "8558")
                .containsEntry("WAVESTORE_CLUSTER_PORT", "25520")
                .containsEntry("WAVESTORE_CLUSTER_REQUIRED_CONTACT_POINTS", "2")
                .containsEntry("WAVESTORE_DB_URL", "jdbc:postgresql://postgres.db.svc:5432/wavestore")
                .containsEntry("WAVESTORE_DB_USER", "wavestore")
                .containsEntry("WAVESTORE_BLOB_TYPE", "s3")
                .containsEntry("WAVESTORE_S3_BUCKET", "wave-bundles")
                .containsEntry("WAVESTORE_IDENTITY_MODE", "oidc")
                .containsEntry("WAVESTORE_OIDC_ISSUER", "https://idp.example.com/realms/main")
                .containsEntry("WAVESTORE_OIDC_CLIENT_ID", "wavestore")
                .containsEntry("WAVESTORE_OIDC_PUBLIC_URL", "https://store.example.com")
                .containsEntry("WAVESTORE_OIDC_SCOPES", "openid,profile,email,offline_access")
                .containsEntry("WAVESTORE_RUNTIME", "kubernetes")
                .containsEntry("WAVESTORE_K8S_NAMESPACE", NAMESPACE)
                .containsEntry("WAVESTORE_PUBLIC_URL", "http://" + FULLNAME + "." + NAMESPACE + ".svc.cluster.local:8080")
                .containsEntry("WAVESTORE_ROUTER_STORE_URL", "https://store.example.com")
                .doesNotContainKeys("WAVESTORE_DEV_IDENTITY_ALLOW_NON_LOOPBACK", "WAVESTORE_BLOB_DIR", "WAVESTORE_S3_ACCESS_KEY");
        assertThat(fieldRef(store, "WAVESTORE_CLUSTER_HOST")).isEqualTo("status.podIP");
        assertThat(fieldRef(store, "WAVESTORE_MANAGEMENT_HOST")).isEqualTo("status.podIP");
        assertThat(selector(env.get("WAVESTORE_CLUSTER_POD_LABEL_SELECTOR"))).isEqualTo(SELECTOR);
        // Secrets reach the store only as references, never as values in the pod spec.
        assertThat(secretRef(store, "WAVESTORE_DB_PASSWORD")).isEqualTo(FULLNAME + "/password");
        assertThat(secretRef(store, "WAVESTORE_OIDC_CLIENT_SECRET")).isEqualTo(FULLNAME + "/client-secret");
        assertThat(secretRef(store, "WAVESTORE_INSTANCE_CREDENTIAL_SECRET"))
                .isEqualTo("store-credential/instance-credential-secret");
        assertThat(deployment.toString()).doesNotContain("db-password").doesNotContain("oidc-client-secret");

        Secret secret = one(objects, Secret.class);
        assertThat(decoded(secret)).isEqualTo(Map.of("password", "db-password", "client-secret", "oidc-client-secret"));

        Service service = one(objects, Service.class);
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).isEqualTo(SELECTOR);
        assertThat(service.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getPort() + "->" + p.getTargetPort().getStrVal()).isEqualTo("8080->http"));

        PodDisruptionBudget pdb = one(objects, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(SELECTOR);
        assertThat(one(objects, ServiceAccount.class).getMetadata().getName()).isEqualTo(FULLNAME);
    }

    @Test
    void aNodePortServiceTakesTheNodePortGivenOrLetsTheApiServerPick() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "service.type", "NodePort");
        assertThat(one(render(values), Service.class).getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getNodePort()).isNull());
        Service fixed = one(render(set(values, "service.nodePort", 31234)), Service.class);
        assertThat(fixed.getSpec().getType()).isEqualTo("NodePort");
        assertThat(fixed.getSpec().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getNodePort()).isEqualTo(31234));
    }

    @Test
    void grantsHelmRuntimeWhatItDoesInTheInstanceNamespaceAndDiscoveryOnlyPodListing() throws IOException {
        List<HasMetadata> objects = render(set(StoreChart.values(), "instanceNamespace", "wave-apps"));

        Role instances = role(objects, FULLNAME + "-instances");
        assertThat(instances.getMetadata().getNamespace()).isEqualTo("wave-apps");
        assertThat(rules(instances)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/secrets", "create,delete,get,list,patch,update,watch",
                "/services", "create,delete,get,patch",
                "/configmaps", "create,delete,get,patch",
                "apps/deployments", "create,delete,get,patch",
                "/persistentvolumeclaims", "create,delete,deletecollection,get,patch",
                "/pods", "get,list,watch",
                "/pods/log", "get",
                "/events", "list"));
        Role discovery = role(objects, FULLNAME + "-discovery");
        assertThat(discovery.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(rules(discovery)).isEqualTo(Map.of("/pods", "list"));

        for (RoleBinding binding : ofKind(objects, RoleBinding.class)) {
            assertThat(binding.getRoleRef().getName()).isEqualTo(binding.getMetadata().getName());
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(
                    s.getKind() + "/" + s.getNamespace() + "/" + s.getName()).isEqualTo("ServiceAccount/" + NAMESPACE + "/" + FULLNAME));
        }
        assertThat(ofKind(objects, RoleBinding.class)).extracting(b -> b.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("wave-apps", NAMESPACE);
        assertThat(plainEnv(container(one(objects, Deployment.class)))).containsEntry("WAVESTORE_K8S_NAMESPACE", "wave-apps");
    }

    @Test
    void networkPolicyLetsOnlyStorePodsReachThePodsTheInstanceChartMakes() throws IOException {
        assertThat(ofKind(render(StoreChart.values()), NetworkPolicy.class)).isEmpty();

        List<HasMetadata> objects = render(set(set(StoreChart.values(), "networkPolicy.enabled", true),
                "instanceNamespace", "wave-apps"));

        NetworkPolicy policy = one(objects, NetworkPolicy.class);
        assertThat(policy.getMetadata().getNamespace()).isEqualTo("wave-apps");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            assertThat(rule.getPorts()).isEmpty();
            NetworkPolicyPeer peer = rule.getFrom().get(0);
            assertThat(rule.getFrom()).hasSize(1);
            assertThat(peer.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", NAMESPACE));
            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(SELECTOR);
        });
        // The policy must select what charts/wave-instance really labels its pods with, and not the store's pods.
        Map<String, String> instancePodLabels;
        try (ChartSource instanceChart = ChartSource.extracted()) {
            Deployment instance = one(objects(template(instanceChart.dir(), "i-abc", "wave-apps",
                    InstanceValues.of(TestSpecs.spec("i-abc"), ChartSettings.defaults()))), Deployment.class);
            instancePodLabels = instance.getSpec().getTemplate().getMetadata().getLabels();
        }
        assertThat(instancePodLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(SELECTOR).doesNotContainEntry("app.kubernetes.io/name", "wave-instance");
    }

    @Test
    void filesystemBlobsMountASharedReadWriteManyClaimKeptOnUninstall() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "blobs.type", "filesystem");
        set(values, "blobs.filesystem.storageClass", "cephfs");
        List<HasMetadata> objects = render(values);

        PersistentVolumeClaim claim = one(objects, PersistentVolumeClaim.class);
        assertThat(claim.getMetadata().getName()).isEqualTo(FULLNAME + "-blobs");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
        assertThat(claim.getSpec().getStorageClassName()).isEqualTo("cephfs");
        Deployment deployment = one(objects, Deployment.class);
        assertThat(claimNames(deployment)).containsExactly(FULLNAME + "-blobs");
        Container store = container(deployment);
        assertThat(store.getVolumeMounts()).anySatisfy(m -> assertThat(m.getName() + ":" + m.getMountPath())
                .isEqualTo("blobs:/var/lib/wavestore/blobs"));
        assertThat(plainEnv(store)).containsEntry("WAVESTORE_BLOB_TYPE", "filesystem")
                .containsEntry("WAVESTORE_BLOB_DIR", "/var/lib/wavestore/blobs").doesNotContainKey("WAVESTORE_S3_BUCKET");

        set(values, "blobs.filesystem.existingClaim", "team-blobs");
        List<HasMetadata> existing = render(values);
        assertThat(ofKind(existing, PersistentVolumeClaim.class)).isEmpty();
        assertThat(claimNames(one(existing, Deployment.class))).containsExactly("team-blobs");
    }

    @Test
    void refusesFilesystemBlobsOnAReadWriteOnceClaimWithSeveralReplicasUnlessTold() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "blobs.type", "filesystem");
        set(values, "blobs.filesystem.accessMode", "ReadWriteOnce");

        assertThatThrownBy(() -> render(values)).hasMessageContaining(
                "blobs.type filesystem with 3 replicas needs a ReadWriteMany claim");

        set(values, "replicaCount", 1);
        List<HasMetadata> single = render(values);
        assertThat(one(single, PersistentVolumeClaim.class).getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(plainEnv(container(one(single, Deployment.class))))
                .containsEntry("WAVESTORE_CLUSTER_REQUIRED_CONTACT_POINTS", "1");

        set(values, "replicaCount", 2);
        set(values, "blobs.filesystem.allowReadWriteOnceWithReplicas", true);
        assertThat(one(render(values), Deployment.class).getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void s3KeysInlineGoToTheChartSecretAndExistingSecretsAreOnlyReferenced() throws IOException {
        Map<String, Object> inline = set(StoreChart.values(), "blobs.s3.accessKey", "AKIA-test");
        set(inline, "blobs.s3.secretKey", "s3-secret");
        set(inline, "blobs.s3.endpoint", "http://minio.minio.svc:9000");
        set(inline, "blobs.s3.pathStyle", true);
        List<HasMetadata> objects = render(inline);
        assertThat(decoded(one(objects, Secret.class))).containsEntry("access-key", "AKIA-test").containsEntry("secret-key", "s3-secret");
        Container store = container(one(objects, Deployment.class));
        assertThat(secretRef(store, "WAVESTORE_S3_ACCESS_KEY")).isEqualTo(FULLNAME + "/access-key");
        assertThat(secretRef(store, "WAVESTORE_S3_SECRET_KEY")).isEqualTo(FULLNAME + "/secret-key");
        assertThat(plainEnv(store)).containsEntry("WAVESTORE_S3_ENDPOINT", "http://minio.minio.svc:9000")
                .containsEntry("WAVESTORE_S3_PATH_STYLE", "true");

        Map<String, Object> existing = StoreChart.values();
        remove(existing, "database.password");
        remove(existing, "identity.oidc.clientSecret");
        set(existing, "database.existingSecret", "pg-credentials");
        set(existing, "database.existingSecretKey", "pg-password");
        set(existing, "identity.oidc.existingSecret", "oidc-client");
        set(existing, "identity.oidc.secretKeyKey", "refresh-token-key");
        set(existing, "blobs.s3.existingSecret", "s3-keys");
        List<HasMetadata> referenced = render(existing);
        assertThat(ofKind(referenced, Secret.class)).as("nothing left for the chart's own Secret").isEmpty();
        Container container = container(one(referenced, Deployment.class));
        assertThat(secretRef(container, "WAVESTORE_DB_PASSWORD")).isEqualTo("pg-credentials/pg-password");
        assertThat(secretRef(container, "WAVESTORE_OIDC_CLIENT_SECRET")).isEqualTo("oidc-client/client-secret");
        assertThat(secretRef(container, "WAVESTORE_OIDC_SECRET_KEY")).isEqualTo("oidc-client/refresh-token-key");
        assertThat(secretRef(container, "WAVESTORE_S3_ACCESS_KEY")).isEqualTo("s3-keys/access-key");
        assertThat(secretRef(container, "WAVESTORE_S3_SECRET_KEY")).isEqualTo("s3-keys/secret-key");
        assertThat(secretRef(container, "WAVESTORE_INSTANCE_CREDENTIAL_SECRET")).isEqualTo("store-credential/instance-credential-secret");

        Map<String, Object> publicClient = StoreChart.values();
        remove(publicClient, "identity.oidc.clientSecret");
        assertThat(container(one(render(publicClient), Deployment.class)).getEnv())
                .noneMatch(e -> e.getName().equals("WAVESTORE_OIDC_CLIENT_SECRET"));
    }

    @Test
    void namesTheAppsOidcClientAndItsSecretButNeverItsValue() throws IOException {
        assertThat(plainEnv(container(one(render(StoreChart.values()), Deployment.class))))
                .doesNotContainKey("WAVESTORE_APP_OIDC_CLIENT_ID");
        Map<String, Object> values = set(StoreChart.values(), "identity.appOidc.clientId", "wave-apps");
        set(values, "identity.appOidc.existingSecret", "wave-apps-oidc");
        Map<String, String> env = plainEnv(container(one(render(values), Deployment.class)));
        assertThat(env).containsEntry("WAVESTORE_APP_OIDC_CLIENT_ID", "wave-apps")
                .containsEntry("WAVESTORE_APP_OIDC_CLIENT_SECRET_NAME", "wave-apps-oidc")
                .containsEntry("WAVESTORE_APP_OIDC_CLIENT_SECRET_KEY", "client-secret")
                .containsEntry("WAVESTORE_APP_OIDC_PROVIDER_URL", "https://idp.example.com/realms/main")
                .containsEntry("WAVESTORE_APP_OIDC_SKIP_LOGIN", "true")
                .doesNotContainKey("WAVESTORE_APP_OIDC_CLIENT_SECRET");
    }

    @Test
    void ingressServesTheStoreHostAndTheAppsWildcard() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "ingress.enabled", true);
        set(values, "ingress.host", "store.example.com");
        set(values, "ingress.className", "nginx");
        set(values, "router.appsDomain", "apps.example.com");
        set(values, "router.trustForwardedHeaders", true);
        List<HasMetadata> objects = render(values);

        Ingress ingress = one(objects, Ingress.class);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules()).extracting(IngressRule::getHost)
                .containsExactly("store.example.com", "apps.example.com", "*.apps.example.com");
        assertThat(ingress.getSpec().getRules()).allSatisfy(r -> assertThat(r.getHttp().getPaths().get(0).getBackend()
                .getService().getName()).isEqualTo(FULLNAME));
        assertThat(plainEnv(container(one(objects, Deployment.class))))
                .containsEntry("WAVESTORE_ROUTER_APPS_DOMAIN", "apps.example.com")
                .containsEntry("WAVESTORE_ROUTER_TRUST_FORWARDED_HEADERS", "true");
    }

    @Test
    void developmentIdentityOnlyWhenExplicitlyAllowed() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "identity.mode", "development");

        assertThatThrownBy(() -> render(values)).hasMessageContaining("identity.mode development signs nobody in")
                .hasMessageContaining("identity.development.allowNonLoopback=true");

        set(values, "identity.development.allowNonLoopback", true);
        Map<String, String> env = plainEnv(container(one(render(values), Deployment.class)));
        assertThat(env).containsEntry("WAVESTORE_IDENTITY_MODE", "development")
                .containsEntry("WAVESTORE_DEV_IDENTITY_ALLOW_NON_LOOPBACK", "true")
                .doesNotContainKeys("WAVESTORE_OIDC_ISSUER", "WAVESTORE_OIDC_CLIENT_SECRET");
    }

    @Test
    void refusesValuesThatCannotWorkWithTheChartsMessage() {
        assertRefused(remove(StoreChart.values(), "publicUrl"), "publicUrl is required");
        assertRefused(set(StoreChart.values(), "router.appsDomain", ""), "router.appsDomain is required");
        assertRefused(remove(StoreChart.values(), "database.url"), "database.url is required");
        assertRefused(set(StoreChart.values(), "database.existingSecret", "pg"), "database.password and database.existingSecret are both set");
        assertRefused(remove(StoreChart.values(), "identity.oidc.issuer"), "identity.oidc.issuer and identity.oidc.clientId are required");
        assertRefused(set(StoreChart.values(), "identity.oidc.existingSecret", "oidc"), "identity.oidc.clientSecret and identity.oidc.existingSecret are both set");
        assertRefused(set(StoreChart.values(), "identity.oidc.secretKeyKey", "k"), "names a key of identity.oidc.existingSecret");
        assertRefused(remove(StoreChart.values(), "blobs.s3.bucket"), "blobs.s3.bucket is required");
        assertRefused(set(StoreChart.values(), "blobs.s3.accessKey", "AKIA"), "blobs.s3.accessKey and blobs.s3.secretKey go together");
        assertRefused(set(StoreChart.values(), "terminationGracePeriodSeconds", 15),
                "terminationGracePeriodSeconds (15) must exceed shutdownDeadlineSeconds (10) by at least 10 s");
        assertRefused(set(StoreChart.values(), "ingress.enabled", true), "ingress.host is required");
    }

    @Test
    void schemaRefusesMalformedValues() {
        assertRefused(set(StoreChart.values(), "database.url", "postgres://db/wavestore"), "/database/url");
        assertRefused(set(StoreChart.values(), "replicaCount", 0), "/replicaCount");
        assertRefused(set(StoreChart.values(), "identity.mode", "none"), "/identity/mode");
        assertRefused(set(StoreChart.values(), "publicUrl", "store.example.com"), "/publicUrl");
        assertRefused(set(StoreChart.values(), "blobs.type", "ftp"), "/blobs/type");
        assertRefused(set(StoreChart.values(), "instanceNamespace", "Not A Namespace"), "/instanceNamespace");
        assertRefused(set(StoreChart.values(), "databse", Map.of("url", "x")), "databse");
        assertRefused(set(StoreChart.values(), "identity.oidc.adminRoles", List.of("admin,root")), "/identity/oidc/adminRoles");
    }

    @Test
    void jvmOptionsAndExtraEnvReachTheStore() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "jvmOptions", "-XX:MaxRAMPercentage=70");
        set(values, "extraEnv", List.of(Map.of("name", "WAVESTORE_LIMIT_INSTANCES_PER_USER", "value", "3")));
        set(values, "cluster.requiredContactPoints", 3);

        Map<String, String> env = plainEnv(container(one(render(values), Deployment.class)));

        assertThat(env).containsEntry("JAVA_TOOL_OPTIONS",
                        "-Dconfig.file=/opt/wavestore/cluster-config/kubernetes.conf -XX:MaxRAMPercentage=70")
                .containsEntry("WAVESTORE_LIMIT_INSTANCES_PER_USER", "3")
                .containsEntry("WAVESTORE_CLUSTER_REQUIRED_CONTACT_POINTS", "3");
    }

    @Test
    void theSplitBrainResolverTakesALeaseOnlyWhenToldWithItsCrdAndTheRightToIt() throws IOException {
        List<HasMetadata> plain = render(StoreChart.values());
        assertThat(plainEnv(container(one(plain, Deployment.class)))).doesNotContainKey("WAVESTORE_CLUSTER_SBR_STRATEGY");
        assertThat(plain).noneMatch(o -> o.getMetadata().getName().contains("sbr-lease") || o.getKind().equals("CustomResourceDefinition"));

        List<HasMetadata> leased = render(set(StoreChart.values(), "cluster.sbrLease.enabled", true));

        assertThat(plainEnv(container(one(leased, Deployment.class))))
                .containsEntry("WAVESTORE_CLUSTER_SBR_STRATEGY", "lease-majority")
                .containsEntry("WAVESTORE_CLUSTER_SBR_LEASE_NAME", FULLNAME + "-pekko-sbr");
        Role lease = role(leased, FULLNAME + "-sbr-lease");
        assertThat(lease.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
        assertThat(rules(lease)).isEqualTo(Map.of("pekko.apache.org/leases", "create,get,list,update"));
        assertThat(leased).filteredOn(o -> o.getKind().equals("CustomResourceDefinition"))
                .extracting(o -> o.getMetadata().getName()).containsExactly("leases.pekko.apache.org");

        List<HasMetadata> crdByHand = render(set(set(StoreChart.values(), "cluster.sbrLease.enabled", true),
                "cluster.sbrLease.createCRD", false));
        assertThat(crdByHand).noneMatch(o -> o.getKind().equals("CustomResourceDefinition"));
    }

    private static void assertRefused(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> render(values)).as(message).hasMessageContaining(message);
    }

    static List<HasMetadata> render(Map<String, Object> values) throws IOException {
        return objects(template(StoreChart.dir(), RELEASE, NAMESPACE, values));
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static List<String> claimNames(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
    }

    static Map<String, String> plainEnv(Container container) {
        return container.getEnv().stream().filter(e -> e.getValueFrom() == null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + container.getEnv()));
    }

    private static String fieldRef(Container container, String name) {
        return env(container, name).getValueFrom().getFieldRef().getFieldPath();
    }

    /** "secret/key" of an env var's secretKeyRef. */
    static String secretRef(Container container, String name) {
        var ref = env(container, name).getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    static Map<String, String> decoded(Secret secret) {
        return secret.getData().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new String(Base64.getDecoder().decode(e.getValue()), StandardCharsets.UTF_8)));
    }

    private static Map<String, String> selector(String labelSelector) {
        return java.util.Arrays.stream(labelSelector.split(",")).map(s -> s.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
    }

    private static Role role(List<HasMetadata> objects, String name) {
        return ofKind(objects, Role.class).stream().filter(r -> r.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Role " + name));
    }

    /** "group/resource" to its sorted, comma-joined verbs. */
    static Map<String, String> rules(Role role) {
        return role.getRules().stream().flatMap(rule -> rule.getResources().stream()
                        .map(resource -> Map.entry(rule.getApiGroups().get(0) + "/" + resource, verbs(rule))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static String verbs(PolicyRule rule) {
        return rule.getVerbs().stream().sorted().collect(Collectors.joining(","));
    }
}
