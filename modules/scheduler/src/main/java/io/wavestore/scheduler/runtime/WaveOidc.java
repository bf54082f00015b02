package io.wavestore.scheduler.runtime;

import io.wavestore.launcher.LauncherVariable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wave's OpenID Connect settings for one instance of an app with {@code EnableOIDC = true}: waved signs the app's
 * visitors in at the provider with the store's client for apps, and tells the app who they are ({@code q.auth}).
 * The client secret is not here: a spec travels in records and releases, so each runtime adds the secret its own
 * way (the local runtime from its configuration, the chart from the Kubernetes Secret named here).
 *
 * @param redirectUrl where the provider sends the browser back: waved's {@code <base-url>_auth/callback} on the
 *                    instance's own origin, which the store's router forwards to waved like any other path
 * @param secretName  Kubernetes: the Secret in the instance's namespace that holds the client secret (empty: none)
 * @param secretKey   its key
 */
public record WaveOidc(String clientId, String providerUrl, String redirectUrl, String endSessionUrl,
                       String postLogoutRedirectUrl, String scopes, boolean skipLogin, String secretName,
                       String secretKey) {

    /** The launcher's variables that carry these settings (it hands them to waved as H2O_WAVE_OIDC_*). */
    public static final String ENV_PREFIX = LauncherVariable.APP_OIDC_PREFIX;
    public static final String CLIENT_SECRET_ENV = LauncherVariable.WAVESTORE_APP_OIDC_CLIENT_SECRET.name();
    /**
     * Where such a waved is probed, under its base URL: its sign-in page answers without a session (a redirect to the
     * provider, or the page), while every other page logs a warning for each request without waved's cookie.
     */
    public static final String PROBE_PATH = "_auth/login";

    /** The launcher's environment for these settings, the secret aside. */
    public Map<String, String> launcherEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_CLIENT_ID.name(), clientId);
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_PROVIDER_URL.name(), providerUrl);
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_REDIRECT_URL.name(), redirectUrl);
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_END_SESSION_URL.name(), endSessionUrl);
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_POST_LOGOUT_REDIRECT_URL.name(), postLogoutRedirectUrl);
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_SCOPES.name(), scopes);
        env.put(LauncherVariable.WAVESTORE_APP_OIDC_SKIP_LOGIN.name(), Boolean.toString(skipLogin));
        env.values().removeIf(String::isEmpty);
        return env;
    }
}
