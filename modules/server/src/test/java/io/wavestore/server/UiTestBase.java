package io.wavestore.server;

import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every web UI test starts from: a real store on the local runtime with real PostgreSQL (one database per test
 * class, so each test uses its own app names), an API client for setting things up and checking them, and a headless
 * Chromium pointed at the store. After each test, the instances it left are terminated and no launcher is left running.
 */
@ExtendWith(PostgresExtension.class)
abstract class UiTestBase {

    @TempDir
    Path dataDir;

    Wavestore store;
    StoreClient client;
    UiBrowser ui;

    @BeforeEach
    void startStoreAndBrowser(TestDatabase database) throws Exception {
        int port = TestStoreConfig.freePort();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, storeSettings()));
        client = new StoreClient(URI.create("http://127.0.0.1:" + port));
        ui = new UiBrowser(port);
    }

    /** Settings of the store under test, over the local defaults. */
    Map<String, Object> storeSettings() {
        return Map.of();
    }

    @AfterEach
    void stopStoreAndBrowser() throws Exception {
        try {
            if (ui != null) {
                ui.close();
            }
        } finally {
            LocalLaunchers.terminateAllAndClose(store, client, dataDir);
        }
    }

    /** Uploads examples/hello-wave (PRIVATE), starts an instance of it and waits until it is ready: its id. */
    String readyExample() throws Exception {
        Path wave = dataDir.resolve("hello-wave.wave");
        io.wavestore.bundle.BundlePacker.pack(Path.of("../../examples/hello-wave").toAbsolutePath().normalize(), wave);
        org.assertj.core.api.Assertions.assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", wave).statusCode())
                .isEqualTo(201);
        String id = StoreClient.json(client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}")).get("id").asText();
        client.awaitInstance(id, i -> i.path("phase").asText().equals("RUNNING") && i.path("ready").asBoolean(),
                WebUiIT.READY_WITHIN);
        return id;
    }

    /** An app.toml for a test app: its name, version and title, and any further [App] lines. */
    static String manifest(String name, String version, String title, String extra) {
        return """
                [App]
                Name = "%s"
                Version = "%s"
                Title = "%s"
                Description = "A small Wave app for tests"
                LongDescription = "README.md"
                %s

                [Runtime]
                Module = "app"
                """.formatted(name, version, title, extra);
    }
}
