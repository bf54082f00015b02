package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Wave apps whose handler is not at the root ({@code @app('/demo')}), in a real headless Chromium through the store:
 * the store learns the routes an app registers with waved, and the instance's URL (opened while the instance still
 * starts, so through the waiting page's reload), its DOMAIN twin and an alias all land on the app's first route. An
 * app that registers no route says so in its progress.
 */
@ExtendWith(PostgresExtension.class)
class WaveAppRoutesIT extends WaveAppsInBrowser {

    @TempDir
    static Path tempDir;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        startStore(tempDir, database, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        stopStore();
    }

    @Test
    void theInstanceUrlLandsOnTheAppsFirstRoute() throws Exception {
        String id = startInstance("demo-route", false);
        String url = StoreClient.json(client.get("/api/v1/instances/" + id)).get("url").asText();
        browser.driver().get(url); // the waiting page, which reloads when the instance is ready
        assertShowsDemo(baseUrlPath(id) + "demo", "route-base-url");
        assertThat(StoreClient.json(client.get("/api/v1/instances/" + id)).path("progress").path("routes").toString())
                .isEqualTo("[\"/demo\"]");

        alias("demo", id);
        browser.driver().get(baseUrlPath("demo"));
        assertShowsDemo(baseUrlPath("demo") + "demo", "route-alias");
    }

    @Test
    void aDomainAppLandsOnItsFirstRouteToo() throws Exception {
        String id = instance("demo-domain", "demo-route", true);
        browser.driver().get(StoreClient.json(client.get("/api/v1/instances/" + id)).get("url").asText());
        assertShowsDemo(domainOrigin(id) + "demo", "route-domain");
    }

    @Test
    void anAppThatRegistersNoRouteSaysSo() throws Exception {
        String id = instance("no-route", "no-route", false);
        var instance = client.awaitInstance(id, i -> i.path("progress").path("message").asText()
                .contains("registered no route"), Duration.ofSeconds(60));
        assertThat(instance.path("progress").path("message").asText()).contains("@app handler");
    }

    private static void assertShowsDemo(String expectedUrl, String name) {
        WebDriver page = browser.driver();
        try {
            new WebDriverWait(page, Duration.ofSeconds(240))
                    .until(d -> !d.findElements(By.cssSelector("[data-test=demo]")).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(SCREENSHOTS.resolve(name + "-empty.png"));
            throw new AssertionError("the app's /demo did not show at " + page.getCurrentUrl() + "; the page was:\n"
                    + page.getPageSource(), e);
        }
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
        assertThat(page.getCurrentUrl()).isEqualTo(expectedUrl);
    }
}
