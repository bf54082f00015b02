package io.wavestore.scheduler.helm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** charts/wavestore, the store's own chart, read from the checkout, and values for it. */
final class StoreChart {

    static final String RELEASE = "store";
    static final String FULLNAME = "store-wavestore";

    private StoreChart() {
    }

    /** The chart directory; tests run in modules/scheduler. */
    static Path dir() {
        Path dir = Path.of("../../charts/wavestore").toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + dir + " (tests run from modules/scheduler of a checkout)");
        }
        return dir;
    }

    /**
     * The least a platform team sets: public URL, PostgreSQL, OIDC, an S3 bucket. The credential secret is an existing
     * Secret: helm-java's template, unlike the helm command line, sends the chart's lookup to a cluster, and unit
     * tests have none (the generated one is tested by WavestoreChartIT on a real control plane).
     */
    static Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        set(values, "publicUrl", "https://store.example.com");
        set(values, "router.appsDomain", "apps.example.com");
        set(values, "database.url", "jdbc:postgresql://postgres.db.svc:5432/wavestore");
        set(values, "database.password", "db-password");
        set(values, "identity.oidc.issuer", "https://idp.example.com/realms/main");
        set(values, "identity.oidc.clientId", "wavestore");
        set(values, "identity.oidc.clientSecret", "oidc-client-secret");
        set(values, "blobs.s3.bucket", "wave-bundles");
        set(values, "instances.credentialSecret.existingSecret", "store-credential");
        return values;
    }

    /** Sets a dotted key ("a.b.c") in nested maps, making the maps on the way. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(Map<String, Object> values, String key, Object value) {
        String[] parts = key.split("\\.");
        Map<String, Object> map = values;
        for (int i = 0; i < parts.length - 1; i++) {
            map = (Map<String, Object>) map.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        }
        map.put(parts[parts.length - 1], value);
        return values;
    }

    /** Removes a dotted key. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> remove(Map<String, Object> values, String key) {
        String[] parts = key.split("\\.");
        Map<String, Object> map = values;
        for (int i = 0; i < parts.length - 1; i++) {
            map = (Map<String, Object>) map.get(parts[i]);
        }
        map.remove(parts[parts.length - 1]);
        return values;
    }
}
