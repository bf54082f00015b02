package io.wavestore.launcher;

import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environments of the children. Every child starts from the launcher's own environment (in a pod that holds
 * the instance's Kubernetes secrets, PIP_INDEX_URL and friends, proxies, ...) without the launcher's
 * {@code WAVESTORE_*} variables, which hold the instance's credential; then the instance's env
 * ({@code WAVESTORE_APP_ENV_JSON}) on top.
 */
final class ChildEnvironment {
    static final String LAUNCHER_PREFIX = "WAVESTORE_";

    private ChildEnvironment() {}

    static Map<String, String> base(Map<String, String> launcherEnv, Map<String, String> appEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        launcherEnv.forEach((k, v) -> {
            if (!k.startsWith(LAUNCHER_PREFIX)) {
                env.put(k, v);
            }
        });
        env.putAll(appEnv);
        return env;
    }

    /** {@code base} as seen from inside the venv, the way {@code bin/activate} would set it up. */
    static Map<String, String> inVenv(Map<String, String> base, Path venvDir) {
        Map<String, String> env = new LinkedHashMap<>(base);
        String path = env.get("PATH");
        String bin = venvDir.resolve("bin").toString();
        env.put("PATH", path == null || path.isEmpty() ? bin : bin + File.pathSeparator + path);
        env.put("VIRTUAL_ENV", venvDir.toString());
        env.remove("PYTHONHOME");
        // Output reaches the log line by line, not when a buffer happens to fill up.
        env.put("PYTHONUNBUFFERED", "1");
        return env;
    }
}
