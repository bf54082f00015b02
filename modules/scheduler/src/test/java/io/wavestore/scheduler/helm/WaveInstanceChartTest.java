package io.wavestore.scheduler.helm;

import static io.wavestore.scheduler.helm.ChartRendering.objects;
import static io.wavestore.scheduler.helm.ChartRendering.ofKind;
import static io.wavestore.scheduler.helm.ChartRendering.one;
import static io.wavestore.scheduler.helm.ChartRendering.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.launcher.LauncherVariable;
import io.wavestore.scheduler.runtime.InstanceSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** charts/wave-instance, linted and rendered by real Helm (helm-java), as the scheduler jar ships it. */
class WaveInstanceChartTest {

    static final String ID = "i-7f3kq9";
    static ChartSource chart;

    @BeforeAll
    static void extractChart() {
        chart = ChartSource.extracted();
    }

    @AfterAll
    static void deleteChart() {
        chart.close();
    }

    @Test
    void lintsCleanEvenInStrictMode() {
        ChartRendering.assertLintsCleanInStrictMode(chart.dir());
    }

    @Test
    void rendersADeploymentServiceAndTokenSecretForAPlainInstance() throws IOException {
        List<HasMetadata> objects = render(TestSpecs.spec(ID), ChartSettings.defaults());

        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder("Deployment/" + ID, "Service/" + ID, "Secret/" + ID + "-token");
        Deployment deployment = one(objects, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "app.kubernetes.io/name", "wave-instance", "app.kubernetes.io/instance", ID,
                "wavestore.io/instance-id", ID));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getEnableServiceLinks()).isFalse();
        assertThat(pod.getNodeSelector()).isNullOrEmpty();
        assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("work", "dependency-cache");
        Container launcher = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(launcher.getName()).isEqualTo("launcher");
        assertThat(launcher.getImage()).isEqualTo("ghcr.io/wavestore/wave-instance:0.1.0");
        assertThat(launcher.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(launcher.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("http");
            assertThat(p.getContainerPort()).isEqualTo(10101);
        });
        assertThat(launcher.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/instance/" + ID + "/");
        assertThat(launcher.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");

        Service service = one(objects, Service.class);
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(10101);
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void sharesTheNodesDependencyCacheOrNoneWhenItsHostPathIsEmpty() throws IOException {
        Map<String, Object> values = new LinkedHashMap<>(InstanceValues.of(TestSpecs.spec(ID), ChartSettings.defaults()));
        values.put("dependencyCache", new DependencyCacheVolume("/srv/wavestore-deps", "2GiB").values());
        Deployment deployment = one(objects(template(chart.dir(), ID, values)), Deployment.class);
        Volume cache = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("dependency-cache")).findFirst().orElseThrow();
        assertThat(cache.getHostPath().getPath()).isEqualTo("/srv/wavestore-deps");
        assertThat(cache.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        assertThat(env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .containsEntry("WAVESTORE_DEPENDENCY_CACHE", "/var/cache/wavestore/dependencies")
                .containsEntry("WAVESTORE_DEPENDENCY_CACHE_MAX", "2GiB");

        values.put("dependencyCache", new DependencyCacheVolume("", "2GiB").values());
        Deployment without = one(objects(template(chart.dir(), ID, values)), Deployment.class);
        assertThat(without.getSpec().getTemplate().getSpec().getVolumes()).extracting(Volume::getName)
                .doesNotContain("dependency-cache");
        assertThat(env(without.getSpec().getTemplate().getSpec().getContainers().get(0)))
                .doesNotContainKey("WAVESTORE_DEPENDENCY_CACHE");
    }

    @Test
    void passesTheLauncherItsContract() throws IOException {
        Container launcher = launcher(render(TestSpecs.spec(ID), ChartSettings.defaults()));

        assertThat(env(launcher)).containsExactly(
                Map.entry("WAVESTORE_INSTANCE_ID", ID),
                Map.entry("WAVESTORE_BUNDLE_URL", TestSpecs.launcher(ID).bundleUrl()),
                Map.entry("WAVESTORE_BUNDLE_SHA256", TestSpecs.SHA),
                Map.entry("WAVESTORE_INSTANCE_TOKEN", "secret " + ID + "-token/token"),
                Map.entry("WAVESTORE_PROGRESS_URL", TestSpecs.launcher(ID).progressUrl()),
                Map.entry("WAVESTORE_WORK_DIR", "/wavestore/app"),
                Map.entry("WAVESTORE_VENV_DIR", "/wavestore/venv"),
                Map.entry("WAVESTORE_WAVE_DATA_DIR", "/wavestore/wave-data"),
                Map.entry("WAVESTORE_DEPENDENCY_CACHE", "/var/cache/wavestore/dependencies"),
                Map.entry("WAVESTORE_DEPENDENCY_CACHE_MAX", "10GiB"),
                Map.entry("WAVESTORE_LISTEN_ADDRESS", ":10101"),
                Map.entry("H2O_WAVE_BASE_URL", "/instance/" + ID + "/"),
                Map.entry("WAVESTORE_APP_MODULE", "app"),
                Map.entry("WAVESTORE_APP_MODE", "wave"));
    }

    /**
     * The launcher's contract, as LauncherVariable defines it: with every feature that adds a variable (Wave's sign-in
     * with all its settings, inline and secret files, a python app on its own port, the dependency cache), the chart
     * sets exactly the variables that are its share, each named as the launcher reads it.
     */
    @Test
    void setsExactlyItsShareOfTheLaunchersVariables() throws IOException {
        InstanceSpec plain = TestSpecs.spec(ID);
        InstanceSpec.LauncherSettings l = plain.launcher();
        var oidc = new io.wavestore.scheduler.runtime.WaveOidc("wave-apps", "https://id.example.com/realms/x",
                "https://apps.example.com/instance/" + ID + "/_auth/callback", "https://id.example.com/logout",
                "https://apps.example.com/", "openid", false, "wave-apps-oidc", "secret");
        var files = List.of(new FileSpec("conf/a.json", Optional.of("{}"), Optional.empty(), Optional.empty()),
                new FileSpec("keys/key.pem", Optional.empty(), Optional.of("keys"), Optional.empty()));
        InstanceSpec everything = new InstanceSpec(plain.record(), TestSpecs.python(plain.runtime(), 8501), List.of(),
                files, new InstanceSpec.LauncherSettings(l.bundleUrl(), l.bundleSha256(), l.token(), l.progressUrl(),
                l.baseUrl(), Optional.of(oidc)));

        Set<String> set = env(launcher(render(everything, ChartSettings.defaults()))).keySet();
        assertThat(set).containsExactlyInAnyOrderElementsOf(Arrays.stream(LauncherVariable.values())
                .filter(LauncherVariable::setByChart).map(Enum::name).toList());
    }

    @Test
    void keepsTheTokenInASecretAndOutOfThePodSpec() throws IOException {
        List<HasMetadata> objects = render(TestSpecs.spec(ID), ChartSettings.defaults());

        Secret token = one(objects, Secret.class);
        assertThat(new String(Base64.getDecoder().decode(token.getData().get("token")), StandardCharsets.UTF_8))
                .isEqualTo(TestSpecs.TOKEN);
        for (HasMetadata object : objects) {
            if (!(object instanceof Secret)) {
                assertThat(Serialization.asYaml(object)).doesNotContain(TestSpecs.TOKEN)
                        .doesNotContain(Base64.getEncoder().encodeToString(TestSpecs.TOKEN.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void handsWavesSignInToTheLauncherWithTheClientSecretFromItsSecret() throws IOException {
        String redirect = "https://apps.example.com/instance/" + ID + "/_auth/callback";
        io.wavestore.scheduler.runtime.WaveOidc oidc = new io.wavestore.scheduler.runtime.WaveOidc("wave-apps",
                "https://id.example.com/realms/x", redirect, "", "", "openid,profile", true, "wave-apps-oidc", "secret");
        io.wavestore.scheduler.runtime.InstanceSpec plain = TestSpecs.spec(ID);
        InstanceSpec.LauncherSettings l = plain.launcher();
        io.wavestore.scheduler.runtime.InstanceSpec spec = new io.wavestore.scheduler.runtime.InstanceSpec(plain.record(),
                plain.runtime(), List.of(), List.of(), new InstanceSpec.LauncherSettings(l.bundleUrl(), l.bundleSha256(),
                        l.token(), l.progressUrl(), l.baseUrl(), Optional.of(oidc)));
        Container launcher = launcher(render(spec, ChartSettings.defaults()));
        // Waved's sign-in page answers without a session; its other pages log each request without its cookie.
        assertThat(launcher.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/instance/" + ID + "/_auth/login");
        Map<String, String> env = env(launcher);
        assertThat(env).containsEntry("WAVESTORE_APP_OIDC_CLIENT_ID", "wave-apps")
                .containsEntry("WAVESTORE_APP_OIDC_PROVIDER_URL", "https://id.example.com/realms/x")
                .containsEntry("WAVESTORE_APP_OIDC_REDIRECT_URL", redirect)
                .containsEntry("WAVESTORE_APP_OIDC_SCOPES", "openid,profile")
                .containsEntry("WAVESTORE_APP_OIDC_SKIP_LOGIN", "true")
                .containsEntry("WAVESTORE_APP_OIDC_CLIENT_SECRET", "secret wave-apps-oidc/secret")
                .doesNotContainKey("WAVESTORE_APP_OIDC_END_SESSION_URL");
        assertThat(env(launcher(render(plain, ChartSettings.defaults())))).noneSatisfy((name, value) ->
                assertThat(name).startsWith("WAVESTORE_APP_OIDC_"));
    }

    @Test
    void setsRequestsLimitsAndANonRootSecurityContext() throws IOException {
        Deployment deployment = one(render(TestSpecs.spec(ID), ChartSettings.defaults()), Deployment.class);
        Container launcher = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(launcher.getResources().getRequests())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("256Mi")));
        assertThat(launcher.getResources().getLimits())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("1"), "memory", new Quantity("512Mi")));
        var podSecurity = deployment.getSpec().getTemplate().getSpec().getSecurityContext();
        assertThat(podSecurity.getRunAsNonRoot()).isTrue();
        assertThat(podSecurity.getRunAsUser()).isEqualTo(1000L);
        assertThat(podSecurity.getFsGroup()).isEqualTo(1000L);
        assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(launcher.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(launcher.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }

    @Test
    void requestsGpusAndSelectsNodesOfTheirType() throws IOException {
        var spec = TestSpecs.spec(TestSpecs.record(ID), TestSpecs.withGpu(TestSpecs.runtime(), 2, "NVIDIA-A100-SXM4-80GB"));
        PodSpec pod = one(render(spec, ChartSettings.defaults()), Deployment.class).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(pod.getNodeSelector()).containsExactly(Map.entry("nvidia.com/gpu.product", "NVIDIA-A100-SXM4-80GB"));
    }

    @Test
    void makesVolumeClaimsOnlyWhenAskedAndKeepsThemAcrossUninstall() throws IOException {
        var spec = TestSpecs.spec(TestSpecs.record(ID), TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "2Gi", "5Gi"));
        List<HasMetadata> objects = render(spec, ChartSettings.defaults().withStorageClass("fast-ssd"));

        List<PersistentVolumeClaim> claims = ofKind(objects, PersistentVolumeClaim.class);
        assertThat(claims).extracting(c -> c.getMetadata().getName() + "=" + c.getSpec().getResources().getRequests().get("storage"))
                .containsExactlyInAnyOrder(ID + "-data=2Gi", ID + "-resources=5Gi");
        assertThat(claims).allSatisfy(c -> {
            assertThat(c.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
            assertThat(c.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            assertThat(c.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
            assertThat(c.getMetadata().getLabels()).containsEntry("wavestore.io/instance-id", ID);
        });
        Container launcher = launcher(objects);
        assertThat(launcher.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
                .containsExactly("work:/wavestore", "dependency-cache:/var/cache/wavestore/dependencies",
                        "resources:/wavestore/resources", "data:/data");
        assertThat(env(launcher)).containsEntry("WAVESTORE_VENV_DIR", "/wavestore/resources/venv");
        assertThat(one(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                .containsExactly(ID + "-resources", ID + "-data");

        assertThat(ofKind(render(TestSpecs.spec(ID), ChartSettings.defaults()), PersistentVolumeClaim.class)).isEmpty();
    }

    @Test
    void suspendedIsNoPodAndTheSameVolumes() throws IOException {
        var record = TestSpecs.suspended(TestSpecs.record(ID), true);
        List<HasMetadata> objects = render(TestSpecs.spec(record, TestSpecs.withVolumes(TestSpecs.runtime(), "/data", "1Gi", null)),
                ChartSettings.defaults());

        assertThat(one(objects, Deployment.class).getSpec().getReplicas()).isZero();
        assertThat(one(objects, Deployment.class).getMetadata().getAnnotations()).containsEntry("wavestore.io/suspended", "true");
        assertThat(ofKind(objects, PersistentVolumeClaim.class)).extracting(c -> c.getMetadata().getName())
                .containsExactly(ID + "-data");
    }

    @Test
    void mountsAMemoryBackedShmWhenAsked() throws IOException {
        var spec = TestSpecs.spec(TestSpecs.record(ID), TestSpecs.withShm(TestSpecs.runtime()));
        List<HasMetadata> objects = render(spec, ChartSettings.defaults());

        Volume shm = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("shm")).findFirst().orElseThrow();
        assertThat(shm.getEmptyDir().getMedium()).isEqualTo("Memory");
        assertThat(launcher(objects).getVolumeMounts()).extracting(VolumeMount::getMountPath).contains("/dev/shm");
    }

    @Test
    void passesEnvValuesAndSecretReferences() throws IOException {
        var env = List.of(
                new EnvVarSpec("GREETING", Optional.of("hello \"world\"\nsecond line"), Optional.empty(), Optional.empty(), false),
                new EnvVarSpec("API_KEY", Optional.empty(), Optional.of("api-keys"), Optional.of("openai"), true),
                new EnvVarSpec("DB_PASSWORD", Optional.empty(), Optional.of("db"), Optional.empty(), false));
        Container launcher = launcher(render(TestSpecs.spec(TestSpecs.record(ID), TestSpecs.runtime(), env, List.of()),
                ChartSettings.defaults()));

        assertThat(launcher.getEnv()).filteredOn(e -> e.getName().equals("GREETING")).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("hello \"world\"\nsecond line"));
        assertThat(launcher.getEnv()).filteredOn(e -> e.getName().equals("API_KEY")).singleElement().satisfies(e -> {
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("api-keys");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("openai");
            assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
        });
        assertThat(launcher.getEnv()).filteredOn(e -> e.getName().equals("DB_PASSWORD")).singleElement().satisfies(e -> {
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DB_PASSWORD");
            assertThat(e.getValueFrom().getSecretKeyRef().getOptional()).isFalse();
        });
    }

    @Test
    void mountsAbsoluteFilesAndHandsRelativeOnesToTheLauncher() throws IOException {
        var files = List.of(
                new FileSpec("/etc/app/config.yaml", Optional.of("a: 1\n"), Optional.empty(), Optional.empty()),
                new FileSpec("conf/settings.json", Optional.of("{\"x\": 1}"), Optional.empty(), Optional.empty()),
                new FileSpec("/etc/app/tls.crt", Optional.empty(), Optional.of("certs"), Optional.of("tls.crt")),
                new FileSpec("keys/key.pem", Optional.empty(), Optional.of("keys"), Optional.empty()));
        List<HasMetadata> objects = render(TestSpecs.spec(TestSpecs.record(ID), TestSpecs.runtime(), List.of(), files),
                ChartSettings.defaults());

        ConfigMap configMap = one(objects, ConfigMap.class);
        assertThat(configMap.getMetadata().getName()).isEqualTo(ID + "-files");
        assertThat(configMap.getData()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "file-0", "a: 1\n",
                "files.json", "{\"conf/settings.json\":\"{\\\"x\\\": 1}\"}"));
        Container launcher = launcher(objects);
        assertThat(launcher.getVolumeMounts()).filteredOn(m -> !m.getName().equals("work")
                        && !m.getName().equals("dependency-cache"))
                .extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getSubPath() + ":" + m.getReadOnly())
                .containsExactly(
                        "files:/etc/app/config.yaml:file-0:true",
                        "secret-file-2:/etc/app/tls.crt:tls.crt:true",
                        "secret-file-3:/var/run/wavestore/secret-files/3:null:true");
        assertThat(env(launcher))
                .containsEntry("WAVESTORE_APP_FILES_JSON", "config map " + ID + "-files/files.json")
                .containsEntry("WAVESTORE_APP_SECRET_FILES_JSON",
                        "{\"keys/key.pem\":\"/var/run/wavestore/secret-files/3/key.pem\"}");
        List<Volume> volumes = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getVolumes();
        assertThat(volumes).filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName() + "/" + v.getSecret().getItems().get(0).getKey())
                .containsExactly("certs/tls.crt", "keys/key.pem");
    }

    @Test
    void runsAPythonAppOnItsOwnPort() throws IOException {
        var spec = TestSpecs.spec(TestSpecs.record(ID), TestSpecs.python(TestSpecs.runtime(), 8501));
        List<HasMetadata> objects = render(spec, ChartSettings.defaults());
        Container launcher = launcher(objects);

        assertThat(launcher.getPorts().get(0).getContainerPort()).isEqualTo(8501);
        assertThat(launcher.getReadinessProbe().getTcpSocket().getPort().getStrVal()).isEqualTo("http");
        assertThat(env(launcher)).containsEntry("WAVESTORE_APP_MODE", "python").containsEntry("WAVESTORE_APP_PORT", "8501");
        assertThat(one(objects, Service.class).getSpec().getPorts().get(0).getPort()).isEqualTo(10101);
    }

    @Test
    void labelsEveryResourceAndAnnotatesTheInstanceOnTheDeployment() throws IOException {
        List<HasMetadata> objects = render(TestSpecs.spec(ID), ChartSettings.defaults()
                .withPodLabels(Map.of("team", "blue", "wavestore.io/instance-id", "not-this"))
                .withPodAnnotations(Map.of("prometheus.io/scrape", "false")));
        String owner = LabelValues.of("olga@example.com");

        for (HasMetadata object : objects) {
            assertThat(object.getMetadata().getLabels()).as(object.getKind()).containsAllEntriesOf(Map.of(
                    "app.kubernetes.io/name", "wave-instance",
                    "app.kubernetes.io/instance", ID,
                    "app.kubernetes.io/version", "0.1.0",
                    "app.kubernetes.io/component", "app",
                    "app.kubernetes.io/part-of", "wavestore",
                    "app.kubernetes.io/managed-by", "Helm",
                    "helm.sh/chart", "wave-instance-0.1.0",
                    "wavestore.io/instance-id", ID,
                    "wavestore.io/app-name", "io.wavestore.hello-wave",
                    "wavestore.io/owner", owner));
        }
        assertThat(owner).startsWith("h-").hasSize(42);
        Deployment deployment = one(objects, Deployment.class);
        assertThat(deployment.getMetadata().getAnnotations()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "wavestore.io/instance-id", ID,
                "wavestore.io/app-id", "17",
                "wavestore.io/app-name", "io.wavestore.hello-wave",
                "wavestore.io/app-version", "0.1.0",
                "wavestore.io/owner", "olga@example.com",
                "wavestore.io/visibility", "ALL_USERS",
                "wavestore.io/suspended", "false",
                "wavestore.io/created-at", "2026-11-25T07:00:00Z"));
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsEntry("team", "blue").containsEntry("wavestore.io/instance-id", ID)
                .containsEntry("wavestore.io/owner", owner).doesNotContainKey("wavestore.io/visibility");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "false").containsEntry("wavestore.io/instance-id", ID)
                .containsKey("checksum/files");
    }

    @Test
    void hashesLabelValuesThatAreNotValidAsTheJavaSideDoes() throws IOException {
        var record = TestSpecs.version(TestSpecs.record(ID), "17", "1.0.0+build.7");
        Deployment deployment = one(render(TestSpecs.spec(record, TestSpecs.runtime()), ChartSettings.defaults()),
                Deployment.class);

        assertThat(deployment.getMetadata().getLabels()).containsEntry("wavestore.io/app-version", LabelValues.of("1.0.0+build.7"));
        assertThat(LabelValues.of("1.0.0+build.7")).startsWith("h-");
        assertThat(deployment.getMetadata().getAnnotations()).containsEntry("wavestore.io/app-version", "1.0.0+build.7");
    }

    @Test
    void appliesTheOperatorsSettings() throws IOException {
        ChartSettings settings = new ChartSettings("registry.example.com/wave/instance", "2.3.4", "Always",
                List.of("regcred"), Map.of(), Map.of(), Map.of("pool", "apps"),
                List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "apps", "effect", "NoSchedule")),
                "", "amd.com/gpu", "amd.com/gpu.product", List.of(Map.of("name", "PIP_INDEX_URL", "value", "https://pypi.example.com/simple")),
                "wave-apps", Optional.empty(), 5);
        PodSpec pod = one(render(TestSpecs.spec(TestSpecs.record(ID), TestSpecs.withGpu(TestSpecs.runtime(), 1, "MI300X")), settings),
                Deployment.class).getSpec().getTemplate().getSpec();

        assertThat(pod.getContainers().get(0).getImage()).isEqualTo("registry.example.com/wave/instance:2.3.4");
        assertThat(pod.getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
        assertThat(pod.getImagePullSecrets()).extracting(s -> s.getName()).containsExactly("regcred");
        assertThat(pod.getNodeSelector()).containsExactlyInAnyOrderEntriesOf(Map.of("pool", "apps", "amd.com/gpu.product", "MI300X"));
        assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("dedicated");
        assertThat(pod.getServiceAccountName()).isEqualTo("wave-apps");
        assertThat(pod.getContainers().get(0).getResources().getLimits()).containsEntry("amd.com/gpu", new Quantity("1"));
        assertThat(env(pod.getContainers().get(0))).containsEntry("PIP_INDEX_URL", "https://pypi.example.com/simple");
    }

    @Test
    void theSchemaRejectsABadValueNamingIt() {
        var spec = TestSpecs.spec(TestSpecs.record(ID), TestSpecs.withMemoryLimit(TestSpecs.runtime(), "a lot"));

        assertThatThrownBy(() -> render(spec, ChartSettings.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("/resources/limits/memory")
                .hasMessageContaining("a lot");
    }

    @Test
    void theSchemaRejectsAnUnknownVisibilityAndATypo() throws IOException {
        Map<String, Object> values = InstanceValues.of(TestSpecs.spec(ID), ChartSettings.defaults());
        @SuppressWarnings("unchecked")
        Map<String, Object> instance = new LinkedHashMap<>((Map<String, Object>) values.get("instance"));
        instance.put("visibility", "EVERYONE");
        values.put("instance", instance);
        values.put("podLabelz", Map.of());

        assertThatThrownBy(() -> template(chart.dir(), ID, values))
                .hasMessageContaining("/instance/visibility")
                .hasMessageContaining("podLabelz");
    }

    @Test
    void refusesAnInstanceIdThatIsNotTheReleaseName() {
        assertThatThrownBy(() -> template(chart.dir(), "other-name", InstanceValues.of(TestSpecs.spec(ID), ChartSettings.defaults())))
                .hasMessageContaining("instance.id (" + ID + ") must equal the release name (other-name)");
    }

    @Test
    void aHandMadeInstallWithoutTheStoresValuesSaysWhatIsMissing() {
        assertThatThrownBy(() -> template(chart.dir(), ID, Map.of()))
                .hasMessageContaining("is required");
    }

    @Test
    void theChartCanBeCopiedOutOfAJar(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("scheduler.jar");
        Path classesChart = Path.of("target/classes").resolve(ChartSource.RESOURCE);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
             Stream<Path> walk = Files.walk(classesChart)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(ChartSource.RESOURCE + "/" + classesChart.relativize(path).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(path));
                out.closeEntry();
            }
        }
        Path extracted;
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
             ChartSource fromJar = ChartSource.extracted(loader)) {
            extracted = fromJar.dir();
            assertThat(extracted.resolve("templates/deployment.yaml")).exists();
            assertThat(extracted.resolve(".helmignore")).exists();
            assertThat(new Helm(extracted).lint().strict().call().isFailed()).isFalse();
        }
        assertThat(extracted).doesNotExist();
    }

    private static List<HasMetadata> render(io.wavestore.scheduler.runtime.InstanceSpec spec, ChartSettings settings)
            throws IOException {
        return objects(template(chart.dir(), spec.instanceId(), InstanceValues.of(spec, settings)));
    }

    private static Container launcher(List<HasMetadata> objects) {
        return one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** The container's env as name to value, with references written as "secret name/key" or "config map name/key". */
    private static Map<String, String> env(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : container.getEnv()) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                env.put(e.getName(), "secret " + e.getValueFrom().getSecretKeyRef().getName() + "/"
                        + e.getValueFrom().getSecretKeyRef().getKey());
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                env.put(e.getName(), "config map " + e.getValueFrom().getConfigMapKeyRef().getName() + "/"
                        + e.getValueFrom().getConfigMapKeyRef().getKey());
            }
        }
        return env;
    }
}
