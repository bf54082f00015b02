package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.BundlePacker;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.browser.HeadlessChromium;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7's walk-through in a real headless Chromium, on the embedded default: upload the example app, start an
 * instance, watch its progress to ready, open it through the store's router, see the app's UI, click its button and
 * see the answer arrive over the Wave WebSocket; then suspend it, wake it by opening it again (issue 19), and
 * terminate. Screenshots go to target/screenshots/ for people to look at.
 */
@ExtendWith(PostgresExtension.class)
class HelloWaveInBrowserIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dataDir;

    /** The store closes with the test; the launchers it started would not (see LocalLaunchers). */
    @AfterEach
    void stopLaunchers() {
        LocalLaunchers.stopAll(dataDir);
    }

    private final TestDatabase database;

    HelloWaveInBrowserIT(TestDatabase database) {
        this.database = database;
    }

    @Test
    void theExampleAppWorksThroughTheRouterInABrowser() throws Exception {
        int port = TestStoreConfig.freePort();
        try (Wavestore store = start(port); HeadlessChromium browser = HeadlessChromium.start()) {
            StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + port));
            Path wave = dataDir.resolve("hello-wave.wave");
            BundlePacker.pack(Path.of("../../examples/hello-wave").toAbsolutePath().normalize(), wave);
            assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", wave).statusCode()).isEqualTo(201);
            var started = StoreClient.json(client.send("POST", "/api/v1/instances",
                    "{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}"));
            String id = started.get("id").asText();

            WebDriver page = browser.driver();
            // Where the API says to open it: the apps' origin, never the store's.
            String url = started.get("url").asText();
            assertThat(url).isEqualTo("http://localhost:" + port + "/instance/" + id + "/");
            page.get(url); // while it starts, the router shows its progress and reloads when ready
            browser.screenshot(SCREENSHOTS.resolve("instance-starting.png"));
            client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText()), Duration.ofMinutes(4));

            HelloWavePage.greetAda(browser, url, SCREENSHOTS, "hello-wave");
            browser.screenshot(SCREENSHOTS.resolve("hello-wave-answered.png"));

            assertThat(client.send("POST", "/api/v1/instances/" + id + "/suspend", null).statusCode()).isEqualTo(200);
            client.awaitInstance(id, i -> "STOPPED".equals(i.path("phase").asText()), Duration.ofSeconds(30));
            // Its owner's visit wakes it (issue 19): the waiting page follows the launcher, then reloads into the app.
            page.get(url);
            browser.screenshot(SCREENSHOTS.resolve("instance-waking.png"));
            assertThat(client.awaitInstance(id, i -> !i.path("suspended").asBoolean(), Duration.ofSeconds(30))
                    .path("suspended").asBoolean()).as("woken by the visit").isFalse();
            new WebDriverWait(page, Duration.ofMinutes(2))
                    .until(d -> !d.findElements(By.cssSelector("[data-test=greet]")).isEmpty());
            browser.screenshot(SCREENSHOTS.resolve("instance-woken.png"));

            assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
        }
    }

    private Wavestore start(int port) throws Exception {
        return Wavestore.start(TestStoreConfig.local(dataDir, port, database, Map.of()));
    }

}
