package io.wavestore.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configurations of test stores: on the local runtime (the embedded default), or on a test Kubernetes namespace. */
final class TestStoreConfig {

    private TestStoreConfig() {
    }

    /**
     * The port is fixed before start because launchers reach the store at its public URL; pip's cache is the one
     * the other tests and CI share, so no test downloads h2o-wave twice.
     */
    static Config local(Path dataDir, int port, TestDatabase database, Map<String, Object> overrides) {
        Map<String, Object> settings = common(dataDir, port, database);
        settings.put("wavestore.scheduler.runtime", "local");
        settings.put("wavestore.scheduler.public-url", "http://127.0.0.1:" + port);
        settings.put("wavestore.scheduler.local.pip-cache-dir",
                Path.of(System.getProperty("user.home"), ".cache", "wavestore", "pip").toString());
        // Built environments and uv as CI provides them (.ci/run): a second test of hello-wave installs nothing.
        settings.put("wavestore.scheduler.local.dependency-cache-dir",
                Path.of(System.getProperty("user.home"), ".cache", "wavestore", "dependency-cache").toString());
        // One class archive of the launcher's classes for every test store of a build, not a training run per store.
        settings.put("wavestore.scheduler.local.launcher-class-dir",
                Path.of(System.getProperty("user.home"), ".cache", "wavestore", "launcher-classes").toString());
        settings.put("wavestore.scheduler.local.uv", java.util.Optional.ofNullable(System.getenv("WAVESTORE_UV"))
                .filter(uv -> !uv.isBlank()).orElse(Path.of(System.getProperty("user.home"), ".cache", "wavestore",
                        "uv-venv", "bin", "uv").toString()));
        settings.putAll(overrides);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    /** {@link #local}, signing in at {@code issuer} (a provider on loopback) as the client {@code wavestore}. */
    static Config localSigningIn(Path dataDir, int port, TestDatabase database, String issuer,
            Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "wavestore.identity.mode", "oidc",
                "wavestore.identity.oidc.issuer", issuer,
                "wavestore.identity.oidc.client-id", "wavestore",
                "wavestore.identity.oidc.client-secret", "client-secret-for-tests"));
        settings.putAll(overrides);
        return local(dataDir, port, database, settings);
    }

    /** A store whose instances are Helm releases in the test's namespace, on any free port. */
    static Config kubernetes(Path dataDir, TestDatabase database, TestNamespace namespace) {
        Map<String, Object> settings = common(dataDir, 0, database);
        settings.put("wavestore.scheduler.runtime", "kubernetes");
        settings.put("wavestore.scheduler.kubernetes.namespace", namespace.name());
        settings.put("wavestore.scheduler.kubernetes.kubeconfig", namespace.kubeconfig().toString());
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    /** A store without instances that signs people in with the OpenID Connect provider at {@code issuer}. */
    static Config oidc(Path dataDir, TestDatabase database, String issuer, String clientId) {
        return withoutInstances(dataDir, database, Map.of(
                "wavestore.identity.mode", "oidc",
                "wavestore.identity.oidc.issuer", issuer,
                "wavestore.identity.oidc.client-id", clientId,
                "wavestore.identity.oidc.client-secret", "client-secret-for-tests"));
    }

    /** A store without instances (the catalog, identity and API only), on free ports. */
    static Config withoutInstances(Path dataDir, TestDatabase database, Map<String, Object> overrides) {
        Map<String, Object> settings = common(dataDir, 0, database);
        settings.put("wavestore.scheduler.runtime", "none");
        settings.putAll(overrides);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    /** What every test store has: its own data directory, the test's database, and no fixed cluster or management port. */
    private static Map<String, Object> common(Path dataDir, int port, TestDatabase database) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("wavestore.data-dir", dataDir.toString());
        settings.put("wavestore.http.port", port);
        settings.put("pekko.remote.artery.canonical.port", 0);
        // Several stores run in one JVM: management HTTP on any free port (Wavestore.managementAddress()).
        settings.put("wavestore.management.port", 0);
        settings.put("wavestore.database.url", database.url());
        settings.put("wavestore.database.user", database.user());
        settings.put("wavestore.database.password", database.password());
        // On a busy machine (load 17 on two cores) a first connection took longer than the default 1.5 s, and the
        // store refused to start; the readiness check keeps its own 2 s timeout.
        settings.put("wavestore.database.connection-timeout", "10s");
        // Apps on their own origins, which Java resolves too: BASE_URL apps at http://localhost:<port>/instance/<id>/
        // (browsers also resolve the DOMAIN apps' <id>.localhost), the store at 127.0.0.1.
        settings.put("wavestore.router.apps-domain", "localhost");
        return settings;
    }

    /** The apps' origin of a store whose URL is {@code store}: BASE_URL apps are under {@code /instance/<id>/} there. */
    static URI appsOrigin(URI store) {
        return URI.create("http://localhost:" + store.getPort());
    }

    static int freePort() {
        return FreePorts.onLoopback();
    }
}
