package io.wavestore.launcher;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wave's OIDC settings for an app with {@code EnableOIDC = true}. The store gives them to the launcher as
 * {@code WAVESTORE_APP_OIDC_*} variables; the launcher hands them to waved alone, as Wave's own
 * {@code H2O_WAVE_OIDC_*} variables (never as flags, which any process could read in its command line). Like every
 * {@code WAVESTORE_*} variable they never reach the app: it learns who signed in from waved ({@code q.auth}), and the
 * client secret stays with waved.
 */
final class WaveOidcEnvironment {

    static final String PREFIX = LauncherVariable.APP_OIDC_PREFIX;
    /**
     * Where to see whether such a waved answers (under its base URL): its sign-in page answers without a session,
     * while every other page logs a warning for each request without waved's cookie.
     */
    static final String PROBE_PATH = "_auth/login";
    /** CLIENT_ID, CLIENT_SECRET, PROVIDER_URL...: the launcher's variables of the sign-in, without their prefix. */
    private static final List<String> SETTINGS = Arrays.stream(LauncherVariable.values()).map(Enum::name)
            .filter(name -> name.startsWith(PREFIX)).map(name -> name.substring(PREFIX.length())).toList();

    private WaveOidcEnvironment() {
    }

    /** Waved's OIDC variables; empty when the store gave no client id (the app does not use OIDC). */
    static Map<String, String> forWaved(Map<String, String> launcherEnv) {
        Map<String, String> waved = new LinkedHashMap<>();
        String clientId = launcherEnv.getOrDefault(PREFIX + "CLIENT_ID", "");
        if (clientId.isBlank()) {
            return waved;
        }
        for (String setting : SETTINGS) {
            String value = launcherEnv.getOrDefault(PREFIX + setting, "");
            if (!value.isEmpty()) {
                waved.put("H2O_WAVE_OIDC_" + setting, value);
            }
        }
        return waved;
    }
}
