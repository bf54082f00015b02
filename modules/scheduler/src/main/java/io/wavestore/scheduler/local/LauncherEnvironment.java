package io.wavestore.scheduler.local;

import java.util.List;
import java.util.Set;

/**
 * Which of the store's environment variables a launcher keeps: what finding and running Python and pip needs (paths,
 * locale, proxies, pip's and pyenv's settings, certificates). Everything else the store was given (database
 * password, cloud keys, its own settings) never reaches a launcher, nor through it an app.
 */
final class LauncherEnvironment {

    private static final Set<String> NAMES = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ",
            "TMPDIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy", "SSL_CERT_FILE",
            "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE");
    private static final List<String> PREFIXES = List.of("LC_", "PIP_", "PYENV");

    private LauncherEnvironment() {
    }

    static boolean kept(String name) {
        return NAMES.contains(name) || PREFIXES.stream().anyMatch(name::startsWith);
    }
}
