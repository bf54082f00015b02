package io.wavestore.scheduler.helm;

import com.typesafe.config.Config;
import io.wavestore.scheduler.ConfigLists;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the store installs the instance chart: the operator's side of its values (the app's side comes from the
 * instance). Every field becomes a value of each release, so a release says exactly how it was made.
 *
 * @param imageRepository  the generic instance image, whose main process is the launcher
 * @param imageTag         its tag; empty: the chart's appVersion
 * @param imagePullPolicy  Always, IfNotPresent or Never
 * @param imagePullSecrets names of Secrets to pull the image with
 * @param podLabels        more labels for every instance pod
 * @param podAnnotations   more annotations for every instance pod
 * @param nodeSelector     where instance pods may run
 * @param tolerations      Kubernetes Toleration objects for every instance pod
 * @param storageClass     the StorageClass of the instances' volumes; empty: the cluster's default
 * @param gpuResourceName  the extended resource a GPU is requested as
 * @param gpuTypeLabel     the node label holding a node's GPU type (Runtime.GPUType selects on it)
 * @param extraEnv         Kubernetes EnvVar objects for every launcher (PIP_INDEX_URL, proxies, ...)
 * @param serviceAccountName the instance pods' ServiceAccount; empty: the namespace's default
 * @param chartDir         a chart directory to use instead of the one shipped in the jar (a checkout, say)
 * @param historyLimit     release revisions kept per instance (Helm's --history-max); older superseded ones are
 *                         deleted after each upgrade
 */
public record ChartSettings(
        String imageRepository,
        String imageTag,
        String imagePullPolicy,
        List<String> imagePullSecrets,
        Map<String, String> podLabels,
        Map<String, String> podAnnotations,
        Map<String, String> nodeSelector,
        List<Map<String, Object>> tolerations,
        String storageClass,
        String gpuResourceName,
        String gpuTypeLabel,
        List<Map<String, Object>> extraEnv,
        String serviceAccountName,
        Optional<Path> chartDir,
        int historyLimit) {

    public static final String DEFAULT_IMAGE = "ghcr.io/wavestore/wave-instance";

    public ChartSettings {
        Objects.requireNonNull(imageRepository, "imageRepository");
        Objects.requireNonNull(imageTag, "imageTag");
        Objects.requireNonNull(imagePullPolicy, "imagePullPolicy");
        imagePullSecrets = List.copyOf(imagePullSecrets);
        podLabels = Map.copyOf(podLabels);
        podAnnotations = Map.copyOf(podAnnotations);
        nodeSelector = Map.copyOf(nodeSelector);
        tolerations = List.copyOf(tolerations);
        Objects.requireNonNull(storageClass, "storageClass");
        Objects.requireNonNull(gpuResourceName, "gpuResourceName");
        Objects.requireNonNull(gpuTypeLabel, "gpuTypeLabel");
        extraEnv = List.copyOf(extraEnv);
        Objects.requireNonNull(serviceAccountName, "serviceAccountName");
        Objects.requireNonNull(chartDir, "chartDir");
        if (historyLimit < 1) {
            throw new IllegalArgumentException("historyLimit must be at least 1, not " + historyLimit);
        }
    }

    /**
     * The operator's settings of {@code wavestore.scheduler.kubernetes} (image, pull secrets, storage class, service
     * account); everything else as the chart's defaults.
     */
    public static ChartSettings from(Config kubernetes) {
        ChartSettings defaults = defaults();
        return new ChartSettings(kubernetes.getString("image.repository"), kubernetes.getString("image.tag"),
                kubernetes.getString("image.pull-policy"), ConfigLists.stringList(kubernetes, "image.pull-secrets"),
                Map.of(), Map.of(), Map.of(), List.of(), kubernetes.getString("storage-class"), defaults.gpuResourceName(),
                defaults.gpuTypeLabel(), List.of(), kubernetes.getString("service-account"), Optional.empty(),
                defaults.historyLimit());
    }

    /** The chart's own defaults. */
    public static ChartSettings defaults() {
        return new ChartSettings(DEFAULT_IMAGE, "", "IfNotPresent", List.of(), Map.of(), Map.of(), Map.of(), List.of(),
                "", "nvidia.com/gpu", "nvidia.com/gpu.product", List.of(), "", Optional.empty(), 5);
    }

    public ChartSettings withImage(String repository, String tag, String pullPolicy) {
        return new ChartSettings(repository, tag, pullPolicy, imagePullSecrets, podLabels, podAnnotations, nodeSelector,
                tolerations, storageClass, gpuResourceName, gpuTypeLabel, extraEnv, serviceAccountName, chartDir,
                historyLimit);
    }

    public ChartSettings withPodLabels(Map<String, String> labels) {
        return new ChartSettings(imageRepository, imageTag, imagePullPolicy, imagePullSecrets, labels, podAnnotations,
                nodeSelector, tolerations, storageClass, gpuResourceName, gpuTypeLabel, extraEnv, serviceAccountName,
                chartDir, historyLimit);
    }

    public ChartSettings withPodAnnotations(Map<String, String> annotations) {
        return new ChartSettings(imageRepository, imageTag, imagePullPolicy, imagePullSecrets, podLabels, annotations,
                nodeSelector, tolerations, storageClass, gpuResourceName, gpuTypeLabel, extraEnv, serviceAccountName,
                chartDir, historyLimit);
    }

    public ChartSettings withStorageClass(String storageClassName) {
        return new ChartSettings(imageRepository, imageTag, imagePullPolicy, imagePullSecrets, podLabels, podAnnotations,
                nodeSelector, tolerations, storageClassName, gpuResourceName, gpuTypeLabel, extraEnv, serviceAccountName,
                chartDir, historyLimit);
    }

    public ChartSettings withChartDir(Path dir) {
        return new ChartSettings(imageRepository, imageTag, imagePullPolicy, imagePullSecrets, podLabels, podAnnotations,
                nodeSelector, tolerations, storageClass, gpuResourceName, gpuTypeLabel, extraEnv, serviceAccountName,
                Optional.of(dir), historyLimit);
    }

    public ChartSettings withHistoryLimit(int limit) {
        return new ChartSettings(imageRepository, imageTag, imagePullPolicy, imagePullSecrets, podLabels, podAnnotations,
                nodeSelector, tolerations, storageClass, gpuResourceName, gpuTypeLabel, extraEnv, serviceAccountName,
                chartDir, limit);
    }
}
