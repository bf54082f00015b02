package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.browser.HeadlessChromium;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A store on the local runtime and a headless Chromium for the ITs that drive the small Wave apps of
 * {@link WaveTestApps} through the store. Instances are started on first use and shared by a class's tests; their launchers end with the store.
 */
abstract class WaveAppsInBrowser {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static Path dataDir;
    static Wavestore store;
    static HeadlessChromium browser;
    static StoreClient client;
    static int port;
    private static final Map<String, String> INSTANCES = new HashMap<>();
    private static final Set<String> UPLOADED = new HashSet<>();

    static void startStore(Path dir, TestDatabase database, Map<String, Object> overrides) throws Exception {
        dataDir = dir;
        port = TestStoreConfig.freePort();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, overrides));
        client = new StoreClient(URI.create("http://127.0.0.1:" + port));
        browser = HeadlessChromium.start();
    }

    static void stopStore() throws Exception {
        INSTANCES.clear();
        UPLOADED.clear();
        if (browser != null) {
            browser.close();
        }
        if (store != null) {
            store.close();
            LocalLaunchers.stopAll(dataDir);
        }
    }

    /** The running instance {@code key} of a test app, started (and the app uploaded) on first use. */
    static synchronized String instance(String key, String app, boolean domain) throws IOException, InterruptedException {
        String id = INSTANCES.get(key);
        if (id == null) {
            id = startInstance(app, domain);
            WaveTestApps.awaitRunning(client, id);
            INSTANCES.put(key, id);
        }
        return id;
    }

    /** A new instance of a test app, not waited for. */
    static String startInstance(String app, boolean domain) throws IOException, InterruptedException {
        String name = "test." + app + (domain ? "-domain" : "");
        if (UPLOADED.add(name)) {
            WaveTestApps.upload(client, dataDir, app, domain);
        }
        return WaveTestApps.start(client, name).get("id").asText();
    }

    static String baseUrlPath(String name) {
        return "http://localhost:" + port + "/instance/" + name + "/";
    }

    static String domainOrigin(String name) {
        return "http://" + name + ".localhost:" + port + "/";
    }

    static void alias(String name, String instance) throws IOException, InterruptedException {
        var created = client.send("POST", "/api/v1/aliases", "{\"name\":\"" + name + "\",\"instance\":\"" + instance + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }
}
