package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Every way a Wave app moves files, in a real headless Chromium through the store, in BASE_URL and DOMAIN modes: an app
 * that publishes a generated PNG with {@code q.site.upload} and a folder with {@code upload_dir}, and an app that takes
 * a file from Wave's upload component, reads it with {@code q.site.download}, answers a {@code /_f/} link made with
 * {@code q.site.upload} and removes the original with {@code q.site.unload}. Whether anything listens on Wave's
 * default port 127.0.0.1:10101 changes nothing: the DOMAIN instances start while the test holds it.
 */
@ExtendWith(PostgresExtension.class)
class WaveAppFilesIT extends WaveAppsInBrowser {

    @TempDir
    static Path tempDir;

    /**
     * Unconfined, the app's venv is writable, as in the instance image on Kubernetes: that is where Wave's runner copied
     * uploads when it believed it had started waved itself (nothing on 127.0.0.1:10101), so they answered 404.
     */
    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        startStore(tempDir, database, Map.of("wavestore.scheduler.local.isolation", "off"));
    }

    @AfterAll
    static void stop() throws Exception {
        stopStore();
    }

    @Test
    void publishedImagesShowInBothRoutingModes() throws Exception {
        assertImagesShow(baseUrlPath(instance("images", "publish-image", false)), "publish-image-base-url");
        assertImagesShow(domainOrigin(domainInstance("images-domain", "publish-image")), "publish-image-domain");
    }

    @Test
    void filesGoBothWaysInBothRoutingModes() throws Exception {
        assertFilesGoBothWays(baseUrlPath(instance("files", "files", false)), "files-base-url");
        assertFilesGoBothWays(domainOrigin(domainInstance("files-domain", "files")), "files-domain");
    }

    /**
     * A BASE_URL app under its primary alias, under a second alias, and by its id (which sends browsers to the primary
     * alias); a DOMAIN alias, then the same alias re-pointed at a BASE_URL instance. Page, assets, WebSocket, published
     * files and uploads all work under each.
     */
    @Test
    void aBaseUrlAppWorksThroughItsAliases() throws Exception {
        String images = instance("aliased-images", "publish-image", false);
        alias("gallery", images);
        assertImagesShow(baseUrlPath("gallery"), "alias-primary");
        alias("gallery-two", images);
        assertImagesShow(baseUrlPath("gallery-two"), "alias-secondary");
        assertImagesShow(baseUrlPath(images), "alias-by-id");
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(baseUrlPath("gallery"));

        alias("inbox", instance("aliased-files", "files", false));
        assertFilesGoBothWays(baseUrlPath("inbox"), "files-alias");

        alias("moved", domainInstance("aliased-images-domain", "publish-image"));
        assertImagesShow(domainOrigin("moved"), "alias-domain");
        var repointed = client.send("PUT", "/api/v1/aliases/moved/instance", "{\"instance\":\"" + images + "\"}");
        assertThat(repointed.statusCode()).as(repointed.body()).isEqualTo(200);
        assertImagesShow(domainOrigin("moved"), "alias-domain-repointed");
    }

    /** A DOMAIN instance, started while 127.0.0.1:10101 is taken: what listens there must change nothing. */
    private static String domainInstance(String key, String app) throws IOException, InterruptedException {
        try (ServerSocket waveDefault = holdWaveDefaultPort()) {
            return instance(key, app, true);
        }
    }

    /** Both images of the publishing app load (a broken image has no natural width). */
    static void assertImagesShow(String url, String name) {
        WebDriver page = browser.driver();
        page.get(url);
        try {
            new WebDriverWait(page, Duration.ofSeconds(60)).until(d -> loaded(d, "figure") && loaded(d, "folder-image"));
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(SCREENSHOTS.resolve(name + "-broken.png"));
            throw new AssertionError("the published images did not load at " + url + "; the page was:\n"
                    + page.getPageSource(), e);
        }
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    private static boolean loaded(WebDriver page, String image) {
        Object width = ((JavascriptExecutor) page).executeScript("const i = document.querySelector('img[data-test="
                + image + "]'); return i && i.complete ? i.naturalWidth : 0;");
        return width instanceof Number n && n.intValue() > 0;
    }

    /** Sends a text file with the upload component, then fetches the app's answer from its {@code /_f/} link. */
    static void assertFilesGoBothWays(String url, String name) throws IOException {
        WebDriver page = browser.driver();
        page.get(url);
        WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(60));
        Path text = Files.writeString(dataDir.resolve(name + ".txt"), "quiet words from " + name);
        try {
            wait.until(d -> !d.findElements(By.cssSelector("input[type=file][data-test=files]")).isEmpty());
            page.findElement(By.cssSelector("input[type=file][data-test=files]")).sendKeys(text.toString());
            page.findElement(By.xpath("//button[.//*[text()='Send'] or text()='Send']")).click();
            wait.until(d -> d.getPageSource().contains("the upload is unloaded"));
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot(SCREENSHOTS.resolve(name + "-stuck.png"));
            throw new AssertionError("the app did not take the file at " + url + "; the page was:\n"
                    + page.getPageSource(), e);
        }
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
        String link = page.findElement(By.cssSelector("[data-test=shout]")).getAttribute("href");
        assertThat(link).as("the app's /_f/ link, as the browser resolves it").contains("/_f/");
        Object answer = ((JavascriptExecutor) page).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed: ' + e));", link);
        assertThat(answer).isEqualTo("QUIET WORDS FROM " + name.toUpperCase(java.util.Locale.ROOT));
    }

    /**
     * Something listening on Wave's default address, as a developer's own waved would: the launcher's children must
     * not mistake it for theirs. Null when something else already listens there, which is the same situation.
     */
    static ServerSocket holdWaveDefaultPort() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress("127.0.0.1", 10101));
            return socket;
        } catch (IOException taken) {
            return null;
        }
    }
}
