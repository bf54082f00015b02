package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 7's walk-through in a real headless Chromium, on the embedded default: upload the example app, start an
 * instance, watch its progress to ready, open it through the store's router, see the app's UI, click its button and
 * see the answer arrive over the Wave WebSocket; then suspend it with the page left open (its socket's reconnects
 * do not wake it), wake it by opening it in another tab, see the page left open work again (issue 19), and terminate. Screenshots go to target/screenshots/ for people to look at.
 */
@ExtendWith(PostgresExtension.class)
class HelloWaveInBrowserIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** Long enough for Wave's client to try its socket five times (at once, then after 2, 4, 8 and 16 s). */
    static final Duration OPEN_PAGE_KEEPS_IT_SUSPENDED = Duration.ofSeconds(40);

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

            // Suspended by its owner while the app's page stays open: the page's socket keeps reconnecting (Wave's
            // client retries), and that is not a visit: the instance stays suspended (issue 19).
            String openPage = page.getWindowHandle();
            assertThat(client.send("POST", "/api/v1/instances/" + id + "/suspend", null).statusCode()).isEqualTo(200);
            client.awaitInstance(id, i -> "STOPPED".equals(i.path("phase").asText()), Duration.ofSeconds(30));
            await().during(OPEN_PAGE_KEEPS_IT_SUSPENDED).atMost(OPEN_PAGE_KEEPS_IT_SUSPENDED.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> suspendedAndStopped(client, id));
            browser.screenshot(SCREENSHOTS.resolve("instance-suspended-page-open.png"));

            // Its owner's visit in another tab wakes it: the waiting page follows the launcher, then reloads into the app.
            page.switchTo().newWindow(WindowType.TAB);
            page.get(url);
            browser.screenshot(SCREENSHOTS.resolve("instance-waking.png"));
            assertThat(client.awaitInstance(id, i -> !i.path("suspended").asBoolean(), Duration.ofSeconds(30))
                    .path("suspended").asBoolean()).as("woken by the visit").isFalse();
            new WebDriverWait(page, Duration.ofMinutes(2))
                    .until(d -> !d.findElements(By.cssSelector("[data-test=greet]")).isEmpty());
            browser.screenshot(SCREENSHOTS.resolve("instance-woken.png"));

            // The page left open reconnects by itself (never reloaded) and works again.
            page.switchTo().window(openPage);
            greetOnTheOpenPage(browser, "Grace");
            browser.screenshot(SCREENSHOTS.resolve("instance-woken-open-page.png"));

            assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
        }
    }

    private static boolean suspendedAndStopped(StoreClient client, String id) throws Exception {
        var instance = StoreClient.json(client.get("/api/v1/instances/" + id));
        return instance.path("suspended").asBoolean() && "STOPPED".equals(instance.path("phase").asText());
    }

    /** Greets {@code who} on the page as it is, without loading it again: its Wave socket must be connected. */
    private static void greetOnTheOpenPage(HeadlessChromium browser, String who) {
        WebDriver page = browser.driver();
        // Wave's client retries every 16 s at most; the reconnect then waits while the instance starts.
        var wait = new WebDriverWait(page, Duration.ofMinutes(3))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        try {
            wait.until(d -> {
                var name = d.findElements(By.cssSelector("[data-test=who]"));
                var greet = d.findElements(By.cssSelector("[data-test=greet]"));
                if (name.isEmpty() || greet.isEmpty()) {
                    return false;
                }
                name.get(0).sendKeys(Keys.chord(Keys.CONTROL, "a"), who);
                greet.get(0).click();
                // Until the socket is back, a click goes nowhere: try again on the next poll.
                try {
                    return new WebDriverWait(d, Duration.ofSeconds(5))
                            .until(x -> x.getPageSource().contains("Hello, " + who + "!"));
                } catch (org.openqa.selenium.TimeoutException notYet) {
                    return false;
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(SCREENSHOTS.resolve("open-page-not-back.png"));
            throw new AssertionError("the page left open did not work again; it was:\n" + page.getPageSource(), e);
        }
    }

    private Wavestore start(int port) throws Exception {
        return Wavestore.start(TestStoreConfig.local(dataDir, port, database, Map.of()));
    }

}
