package io.wavestore.scheduler.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.UninstallCommand;
import com.marcnuri.helm.UpgradeCommand;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretList;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as Helm releases of {@code charts/wave-instance}, one per instance, all in one namespace, installed and
 * changed with real Helm (helm-java) and read back from Helm's own storage (the release Secrets) with fabric8.
 *
 * <p><b>Release naming.</b> A release is named exactly like its instance: an instance id is a DNS label of at most
 * 40 characters, which leaves room under Helm's 53 for a release name and under 63 for the chart's resource names
 * ({@code <id>}, {@code <id>-token}, {@code <id>-files}, {@code <id>-data}, {@code <id>-resources}). So
 * {@code helm list} shows instance ids, and {@code helm uninstall <id>} removes an instance. The chart refuses values
 * whose {@code instance.id} differs from the release name.
 *
 * <p><b>What counts.</b> Every release of the {@code wave-instance} chart in the namespace whose values hold an
 * instance record, however it was made: one installed with the {@code helm} command line shows up exactly like one
 * installed by the store. The newest revision of a release decides; superseded revisions are history, and a
 * release uninstalled with {@code --keep-history} is gone.
 *
 * <p><b>Addresses.</b> The router reaches an instance through its Service,
 * {@code <id>.<namespace>.svc.cluster.local:10101}; that name resolves only inside the cluster, where the store runs
 * when it uses this runtime.
 *
 * <p><b>Helm's configuration.</b> Helm gets {@code kubeconfig} when given; otherwise it finds the cluster as the
 * {@code helm} command does ({@code KUBECONFIG}, {@code ~/.kube/config}, or the pod's service account in a cluster).
 * Releases are stored as Secrets (Helm's default driver); this runtime reads only those.
 */
public final class HelmRuntime implements InstanceRuntime {

    public static final String CHART_NAME = "wave-instance";
    /** On every resource of an instance, pods included: how pods, volumes and events are found for an instance. */
    public static final String INSTANCE_LABEL = "wavestore.io/instance-id";
    public static final int SERVICE_PORT = 10101;

    private static final Logger LOG = LoggerFactory.getLogger(HelmRuntime.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WATCH_START_TIMEOUT = Duration.ofSeconds(60);

    private final KubernetesClient client;
    private final Optional<Path> kubeconfig;
    private final ServiceAddressing addressing;
    private final String namespace;
    private final ChartSettings settings;
    private final PythonImages pythonImages;
    private final DependencyCacheVolume dependencyCache;
    private final ChartSource chart;
    private final Path valuesDir;
    private final List<Closeable> watches = new ArrayList<>();

    /**
     * @param client     reads releases, pods, events and logs, and deletes volumes (not closed by this runtime)
     * @param kubeconfig the kubeconfig Helm uses; empty: Helm's own defaults (see the class comment)
     * @param namespace  where every instance lives; it must exist
     * @param settings   the operator's side of the chart's values
     */
    public HelmRuntime(KubernetesClient client, Optional<Path> kubeconfig, String namespace, ChartSettings settings) {
        this(client, kubeconfig, namespace, settings, PythonImages.none(), DependencyCacheVolume.defaults(),
                ServiceAddressing.DNS);
    }

    /** How the router reaches an instance's Service. */
    public enum ServiceAddressing {
        /** {@code <id>.<namespace>.svc.cluster.local}: the store runs in the cluster (the default). */
        DNS,
        /**
         * The Service's cluster IP: the store runs outside the cluster's DNS but on a machine that routes the
         * Service network (a node, with kube-proxy), as in the tests on a real node.
         */
        CLUSTER_IP
    }

    /**
     * @param pythonImages    the instance image for each Python an app's RuntimeVersion may name
     * @param dependencyCache the node directory instance pods share their built environments in
     * @param addressing      how the router reaches an instance's Service
     */
    public HelmRuntime(KubernetesClient client, Optional<Path> kubeconfig, String namespace, ChartSettings settings,
            PythonImages pythonImages, DependencyCacheVolume dependencyCache, ServiceAddressing addressing) {
        this.pythonImages = Objects.requireNonNull(pythonImages, "pythonImages");
        this.dependencyCache = Objects.requireNonNull(dependencyCache, "dependencyCache");
        this.addressing = Objects.requireNonNull(addressing, "addressing");
        this.client = Objects.requireNonNull(client, "client");
        this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.chart = settings.chartDir().map(ChartSource::of).orElseGet(ChartSource::extracted);
        try {
            // Values files hold the instance's credential: a directory only this user may read.
            this.valuesDir = Files.createTempDirectory("wavestore-values-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            chart.close();
            throw new UncheckedIOException("cannot create a directory for values files", e);
        }
    }

    /** The chart directory Helm installs. */
    public Path chartDir() {
        return chart.dir();
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void install(InstanceSpec spec) {
        String id = spec.instanceId();
        if (!revisions(id).isEmpty()) {
            throw new RuntimeFailure(RuntimeFailure.Kind.ALREADY_EXISTS,
                    "instance " + id + " exists already (a Helm release of that name is in namespace " + namespace + ")");
        }
        Path values = writeValues(spec);
        try {
            InstallCommand install = new Helm(chart.dir()).install()
                    .withName(id)
                    .withNamespace(namespace)
                    .withValuesFile(values);
            kubeconfig.ifPresent(install::withKubeConfig);
            install.call();
            LOG.info("Installed instance {} ({} {}) as a Helm release in {}", id, spec.record().appName(),
                    spec.record().appVersion(), namespace);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().contains("cannot re-use a name that is still in use")) {
                throw new RuntimeFailure(RuntimeFailure.Kind.ALREADY_EXISTS, "instance " + id + " exists already", e);
            }
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "Helm could not install instance " + id + ": "
                    + helmMessage(e), e);
        } finally {
            deleteQuietly(values);
            // Helm's install took SIGTERM and SIGINT from the JVM (see JvmSignals).
            JvmSignals.restore();
        }
    }

    @Override
    public void upgrade(InstanceSpec spec) {
        String id = spec.instanceId();
        Optional<HelmRelease> current = newest(revisions(id)).flatMap(ReleaseSecrets::decode);
        if (current.isEmpty() || current.get().state().isEmpty()) {
            throw new RuntimeFailure(RuntimeFailure.Kind.NOT_FOUND, "instance " + id + " does not exist");
        }
        if (!CHART_NAME.equals(current.get().chartName())) {
            throw new RuntimeFailure(RuntimeFailure.Kind.NOT_FOUND, "the Helm release " + id + " in " + namespace
                    + " is not an instance (its chart is " + current.get().chartName() + ")");
        }
        Path values = writeValues(spec);
        try {
            // resetValues: the release gets exactly these values, never some of an earlier revision's.
            UpgradeCommand upgrade = new Helm(chart.dir()).upgrade()
                    .withName(id)
                    .withNamespace(namespace)
                    .resetValues()
                    .withValuesFile(values);
            kubeconfig.ifPresent(upgrade::withKubeConfig);
            upgrade.call();
            LOG.info("Upgraded instance {} ({} {}{})", id, spec.record().appName(), spec.record().appVersion(),
                    spec.record().suspended() ? ", suspended" : "");
        } catch (IllegalStateException e) {
            String message = helmMessage(e);
            if (message.contains("has no deployed releases") && revisions(id).isEmpty()) {
                throw new RuntimeFailure(RuntimeFailure.Kind.NOT_FOUND, "instance " + id + " does not exist", e);
            }
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "Helm could not upgrade instance " + id + ": " + message, e);
        } finally {
            deleteQuietly(values);
        }
        pruneHistory(id);
    }

    @Override
    public void uninstall(String instanceId) {
        Optional<HelmRelease> current = newest(revisions(instanceId)).flatMap(ReleaseSecrets::decode);
        if (current.isPresent() && !CHART_NAME.equals(current.get().chartName())) {
            LOG.warn("Not uninstalling the Helm release {} in {}: its chart is {}, not {}", instanceId, namespace,
                    current.get().chartName(), CHART_NAME);
            return;
        }
        if (current.isPresent()) {
            try {
                UninstallCommand uninstall = Helm.uninstall(instanceId)
                        .withNamespace(namespace)
                        .ignoreNotFound();
                kubeconfig.ifPresent(uninstall::withKubeConfig);
                uninstall.call();
            } catch (IllegalStateException e) {
                String message = helmMessage(e);
                if (!message.contains("not found")) {
                    throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "Helm could not uninstall instance "
                            + instanceId + ": " + message, e);
                }
            }
        }
        // The chart keeps volumes when Helm removes a release (helm.sh/resource-policy: keep); the instance is
        // removed for good, so are they. Also cleans up after a release removed with the helm command line.
        try {
            client.persistentVolumeClaims().inNamespace(namespace).withLabel(INSTANCE_LABEL, instanceId).delete();
        } catch (KubernetesClientException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "instance " + instanceId
                    + " is uninstalled but its volumes could not be deleted: " + e.getMessage(), e);
        }
        if (current.isPresent()) {
            LOG.info("Uninstalled instance {}", instanceId);
        }
    }

    @Override
    public List<InstanceRecord> list() {
        // Leaving superseded revisions to the API server keeps the list (and its decoding) to about one Secret per
        // release.
        SecretList secrets = kubernetes(() -> currentReleaseSecrets().list());
        return ReleaseSecrets.newestByName(secrets.getItems()).values().stream()
                .map(ReleaseSecrets::decode)
                .flatMap(Optional::stream)
                .map(HelmRelease::record)
                .flatMap(Optional::stream)
                .sorted(Comparator.comparing(InstanceRecord::instanceId))
                .toList();
    }

    @Override
    public Optional<InstanceRecord> get(String instanceId) {
        return newest(revisions(instanceId)).flatMap(ReleaseSecrets::decode).flatMap(HelmRelease::record);
    }

    @Override
    public InstanceHealth health(String instanceId) {
        // Observed when the question is asked, not when the answer arrives: the watch may report a newer state in
        // between, and the instance actor keeps whichever observation is newer (a pod that turned Running while this
        // list was on its way must not be overwritten by the Pending it returns).
        Instant asked = Instant.now();
        PodList pods = kubernetes(() -> client.pods().inNamespace(namespace).withLabel(INSTANCE_LABEL, instanceId).list());
        return health(instanceId, pods.getItems(), asked);
    }

    /** The health of an instance whose pods are {@code pods}; reads the current pod's events. */
    InstanceHealth health(String instanceId, Collection<Pod> pods, Instant now) {
        Optional<Pod> pod = PodHealth.current(pods);
        List<Event> events = pod.map(this::events).orElse(List.of());
        return PodHealth.read(pod, events, address(instanceId), now);
    }

    /** Where the router reaches an instance in the cluster: its Service. */
    public String address(String instanceId) {
        if (addressing == ServiceAddressing.CLUSTER_IP) {
            Service service = kubernetes(() -> client.services().inNamespace(namespace).withName(instanceId).get());
            String ip = service == null || service.getSpec() == null ? null : service.getSpec().getClusterIP();
            if (ip != null && !ip.isEmpty() && !"None".equals(ip)) {
                return ip + ":" + SERVICE_PORT;
            }
        }
        return instanceId + "." + namespace + ".svc.cluster.local:" + SERVICE_PORT;
    }

    @Override
    public LogStream logs(String instanceId, int tailLines, boolean follow) {
        PodList pods = kubernetes(() -> client.pods().inNamespace(namespace).withLabel(INSTANCE_LABEL, instanceId).list());
        Pod pod = PodHealth.current(pods.getItems()).orElseThrow(() -> new RuntimeFailure(RuntimeFailure.Kind.NOT_FOUND,
                "instance " + instanceId + " has no pod (it is suspended, or not started yet)"));
        PodResource resource = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName());
        try {
            if (follow) {
                return PodLogStream.following(resource.inContainer(PodHealth.CONTAINER).tailingLines(tailLines).watchLog());
            }
            return PodLogStream.of(resource.inContainer(PodHealth.CONTAINER).tailingLines(tailLines).getLog());
        } catch (KubernetesClientException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "cannot read the log of instance " + instanceId + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Closeable watch(InstanceEvents events) {
        InstanceWatch watch = new InstanceWatch(this, events);
        try {
            watch.start(WATCH_START_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, e.getMessage(), e);
        }
        synchronized (watches) {
            watches.add(watch);
        }
        return () -> {
            synchronized (watches) {
                watches.remove(watch);
            }
            watch.close();
        };
    }

    @Override
    public String describe() {
        return "Helm releases of the " + CHART_NAME + " chart in namespace " + namespace + " of "
                + client.getConfiguration().getMasterUrl() + " (chart " + chart.dir() + ", image "
                + settings.imageRepository() + (settings.imageTag().isEmpty() ? "" : ":" + settings.imageTag()) + ")";
    }

    @Override
    public void close() {
        List<Closeable> open;
        synchronized (watches) {
            open = List.copyOf(watches);
            watches.clear();
        }
        for (Closeable watch : open) {
            try {
                watch.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("Cannot stop a watch: {}", e.toString());
            }
        }
        chart.close();
        ChartSource.deleteTree(valuesDir);
    }

    /** The namespace's Helm release Secrets (any chart, every revision). */
    FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> releaseSecrets() {
        return client.secrets().inNamespace(namespace).withLabel(ReleaseSecrets.OWNER_LABEL, ReleaseSecrets.OWNER);
    }

    /**
     * The namespace's Helm release Secrets but superseded revisions: those of a release's newest revision among
     * them. Superseded revisions are history (each holds the whole chart, some 20 kB), and the newest revision of a
     * release is never superseded.
     */
    FilterWatchListDeletable<Secret, SecretList, Resource<Secret>> currentReleaseSecrets() {
        return releaseSecrets().withLabelNotIn(ReleaseSecrets.STATUS_LABEL, "superseded");
    }

    /** The namespace's instance pods. */
    FilterWatchListDeletable<Pod, PodList, PodResource> instancePods() {
        return client.pods().inNamespace(namespace).withLabel(INSTANCE_LABEL);
    }

    /** Every stored revision of the release named {@code name}. */
    private List<Secret> revisions(String name) {
        return kubernetes(() -> releaseSecrets().withLabel(ReleaseSecrets.NAME_LABEL, name).list()).getItems().stream()
                .filter(ReleaseSecrets::isRelease)
                .toList();
    }

    private static Optional<Secret> newest(List<Secret> revisions) {
        return revisions.stream().max(Comparator.comparingInt(ReleaseSecrets::version));
    }

    /**
     * Deletes superseded revisions beyond the newest {@link ChartSettings#historyLimit()}, as Helm's
     * {@code --history-max} would (helm-java leaves Helm's history unbounded). Each suspend and resume is a revision.
     */
    private void pruneHistory(String name) {
        List<Secret> revisions = new ArrayList<>(revisions(name));
        revisions.sort(Comparator.comparingInt(ReleaseSecrets::version).reversed());
        for (Secret old : revisions.subList(Math.min(settings.historyLimit(), revisions.size()), revisions.size())) {
            if ("superseded".equals(old.getMetadata().getLabels().get(ReleaseSecrets.STATUS_LABEL))) {
                try {
                    client.secrets().inNamespace(namespace).withName(old.getMetadata().getName()).delete();
                } catch (KubernetesClientException e) {
                    LOG.warn("Cannot delete the old release revision {}: {}", old.getMetadata().getName(), e.getMessage());
                }
            }
        }
    }

    private List<Event> events(Pod pod) {
        try {
            String uid = pod.getMetadata().getUid();
            return client.v1().events().inNamespace(namespace)
                    .withField("involvedObject.name", pod.getMetadata().getName())
                    .list().getItems().stream()
                    .filter(e -> uid == null || e.getInvolvedObject() == null || e.getInvolvedObject().getUid() == null
                            || uid.equals(e.getInvolvedObject().getUid()))
                    .toList();
        } catch (KubernetesClientException e) {
            LOG.debug("Cannot read the events of pod {}: {}", pod.getMetadata().getName(), e.getMessage());
            return List.of();
        }
    }

    private Path writeValues(InstanceSpec spec) {
        // First: an app whose Python has no image is refused before anything is written.
        ChartSettings chartSettings = pythonImages.chartFor(spec, settings);
        try {
            Path file = Files.createTempFile(valuesDir, spec.instanceId() + "-", ".json");
            // JSON is YAML: Helm reads it as a values file.
            Map<String, Object> values = new LinkedHashMap<>(InstanceValues.of(spec, chartSettings));
            values.put("dependencyCache", dependencyCache.values());
            JSON.writeValue(file.toFile(), values);
            return file;
        } catch (IOException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "cannot write the values of instance "
                    + spec.instanceId() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete the values file {}: {}", file, e.toString());
        }
    }

    /** Helm's error message, as helm-java hands it over. */
    private static String helmMessage(IllegalStateException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.strip();
    }

    private static <T> T kubernetes(Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "Kubernetes refused: " + e.getMessage(), e);
        }
    }
}
