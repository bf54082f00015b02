package io.wavestore.scheduler.helm;

import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import io.wavestore.scheduler.runtime.RuntimeVersions;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The instance image for each Python version (one image per Python: docker/instance.Dockerfile built with another
 * {@code PYTHON_IMAGE}), chosen by the Python an app's RuntimeVersion names. Empty: every instance gets the generic
 * image, whatever its RuntimeVersion says.
 *
 * @param byVersion {@code 3.10} to an image reference ({@code ghcr.io/wavestore/wave-instance:0.1.0-py3.10})
 */
public record PythonImages(Map<String, String> byVersion) {

    public PythonImages {
        byVersion = Map.copyOf(byVersion);
    }

    public static PythonImages none() {
        return new PythonImages(Map.of());
    }

    /** {@code 3.10=repo:tag, 3.12=repo:tag} (the store's setting and its environment variable). */
    public static PythonImages parse(String text) {
        Map<String, String> images = new TreeMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String version = eq < 0 ? "" : entry.substring(0, eq).strip();
            String image = eq < 0 ? "" : entry.substring(eq + 1).strip();
            if (!version.matches("3\\.\\d{1,2}") || image.isEmpty()) {
                throw new IllegalArgumentException("an instance image per Python is written 3.11=repository:tag, not '"
                        + entry.strip() + "'");
            }
            images.put(version, image);
        }
        return new PythonImages(images);
    }

    /**
     * The chart settings for {@code spec}: with the image of the Python its RuntimeVersion names. A Python this table
     * has no image for is refused before anything is installed, naming the versions there are.
     */
    public ChartSettings chartFor(InstanceSpec spec, ChartSettings settings) {
        Optional<String> runtimeVersion = spec.runtime().runtimeVersion();
        Optional<String> version = runtimeVersion.flatMap(RuntimeVersions::python);
        if (byVersion.isEmpty() || version.isEmpty()) {
            return settings;
        }
        String image = byVersion.get(version.get());
        if (image == null) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "app.toml's RuntimeVersion " + runtimeVersion.get()
                    + " asks for Python " + version.get() + ", but this store has instance images only for Python "
                    + String.join(", ", new TreeMap<>(byVersion).keySet())
                    + " (wavestore.scheduler.kubernetes.image.by-python)");
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? settings.withImage(image.substring(0, colon), image.substring(colon + 1),
                settings.imagePullPolicy()) : settings.withImage(image, "", settings.imagePullPolicy());
    }
}
