package io.wavestore.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * uv (PyPI {@code uv}, one static binary): makes virtual environments and installs into them from its own cache, in
 * a fraction of pip's time. Found as {@code WAVESTORE_UV} (a path, or a name looked up on {@code PATH}; default
 * {@code uv}); without it the launcher installs with pip.
 */
final class Uv {
    static final String VARIABLE = LauncherVariable.WAVESTORE_UV.name();
    /** pip's settings a store or an image already carries, as uv spells them (uv reads no PIP_* and no pip.conf). */
    private static final Map<String, String> FROM_PIP = Map.of("PIP_INDEX_URL", "UV_INDEX_URL",
            "PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "UV_FIND_LINKS",
            "PIP_TRUSTED_HOST", "UV_INSECURE_HOST", "PIP_NO_INDEX", "UV_NO_INDEX", "PIP_CERT", "SSL_CERT_FILE",
            "PIP_DEFAULT_TIMEOUT", "UV_HTTP_TIMEOUT");

    private Uv() {}

    /**
     * The uv binary the launcher's environment names, if it is there, by its real path: a link to it (such as
     * {@code ~/.cache/wavestore/bin/uv}) may lie where the sandbox shows nothing, while the sandbox shows the
     * directory the binary itself is in.
     */
    static Optional<Path> find(Map<String, String> env) {
        String name = Optional.ofNullable(env.get(VARIABLE)).filter(s -> !s.isBlank()).orElse("uv");
        if (name.contains("/")) {
            Path path = Path.of(name).toAbsolutePath();
            return Files.isExecutable(path) ? Optional.of(real(path)) : Optional.empty();
        }
        for (String dir : Optional.ofNullable(env.get("PATH")).orElse("").split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return Optional.of(real(candidate.toAbsolutePath()));
                }
            }
        }
        return Optional.empty();
    }

    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (java.io.IOException e) {
            return path;
        }
    }

    /** A child's environment for uv: its cache, never a Python download, no progress bars, pip's index settings. */
    static Map<String, String> environment(Map<String, String> base, Path cache) {
        Map<String, String> env = new LinkedHashMap<>(base);
        FROM_PIP.forEach((pip, uv) -> {
            String value = base.get(pip);
            if (value != null && !value.isBlank() && !(pip.equals("PIP_FIND_LINKS") && missingDirectory(value))) {
                env.putIfAbsent(uv, value);
            }
        });
        env.put("UV_CACHE_DIR", cache.toString());
        env.put("UV_PYTHON_DOWNLOADS", "never");
        env.put("UV_NO_PROGRESS", "1");
        return env;
    }

    /** pip ignores a --find-links directory that does not exist; uv fails on it. */
    private static boolean missingDirectory(String value) {
        return !value.contains("://") && !value.contains(" ") && !Files.isDirectory(Path.of(value));
    }
}
