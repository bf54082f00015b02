package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The web UI's less happy states, in a real headless Chromium against a real store on the local runtime: an instance
 * whose requirements cannot install, what a visitor sees and what the API refuses them, and an instance's log followed
 * as it is written and let go when the page is left.
 */
class WebUiStatesIT extends UiTestBase {

    @Test
    void anInstanceWhoseRequirementsCannotInstallShowsTheStepAndPipsReasonAndCanBeTerminated() throws Exception {
        byte[] broken = WaveBundleBuilder.app("io.test.broken", "1.0.0")
                .file("requirements.txt", "h2o-wave\nthis-package-does-not-exist-wavestore==0.0.1\n").bytes();
        assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", broken).statusCode()).isEqualTo(201);
        ui.open("/apps/io.test.broken").await("[data-test=run]").click();
        ui.until(d -> d.getCurrentUrl().contains("/instances/i-"), Duration.ofSeconds(30), "Run did not open the instance");
        String id = ui.driver().getCurrentUrl().replaceAll(".*/instances/", "");
        String row = "tr[data-instance='" + id + "']";

        // The instance page: failed, at which step, and pip's own words.
        ui.await(row + "[data-status=failed]", WebUiIT.READY_WITHIN);
        assertThat(ui.text(row + " .status")).isEqualTo("failed");
        WebElement step = ui.await(row + " li[data-step=INSTALLING_DEPENDENCIES]");
        assertThat(step.getAttribute("class")).contains("step-failed");
        assertThat(ui.all(row + " li.step-done")).extracting(e -> e.getAttribute("data-step"))
                .containsExactly("DOWNLOADING_BUNDLE", "SOURCING_APP");
        WebElement failure = ui.await(row + " [data-test=failure]");
        assertThat(failure.getText()).contains("this-package-does-not-exist-wavestore");
        // The installer's tail is shown whole, in a box the reader can scroll, not cut off at the row's edge. The
        // installer is uv (its words) where the machine has it, else pip (its own).
        WebElement tail = ui.driver().findElement(By.cssSelector(row + " [data-test=failure] pre.tail"));
        assertThat(tail.getText().toLowerCase(java.util.Locale.ROOT))
                .containsAnyOf("was not found in the package registry", "no matching distribution found");
        assertThat(tail.getCssValue("overflow-x")).isEqualTo("auto");
        JsonNode progress = StoreClient.json(client.get("/api/v1/instances/" + id)).get("progress");
        assertThat(tail.getText()).contains(progress.get("outputTail").get(progress.get("outputTail").size() - 1).asText().strip());
        // Nothing to open or suspend; it can be terminated.
        assertThat(ui.all(row + " [data-action=open], " + row + " [data-action=suspend], " + row + " [data-action=resume]"))
                .isEmpty();
        WebElement terminate = ui.driver().findElement(By.cssSelector(row + " [data-action=terminate]"));
        assertThat(ui.script("const r = arguments[0].getBoundingClientRect(); return r.right <= window.innerWidth"
                + " && document.documentElement.scrollWidth <= window.innerWidth", terminate))
                .as("Terminate in sight, nothing wider than the window").isEqualTo(true);
        ui.screenshot("instance-failed");

        // The list says the same.
        ui.open("/instances").await(row + "[data-status=failed] [data-test=failure]");
        assertThat(ui.text(row + " [data-test=failure]")).contains("this-package-does-not-exist-wavestore");
        assertThat(ui.all(row + " li.step-failed")).extracting(e -> e.getAttribute("data-step"))
                .containsExactly("INSTALLING_DEPENDENCIES");
        ui.screenshot("instances-failed");
        ui.driver().findElement(By.cssSelector(row + " [data-action=terminate]")).click();
        ui.driver().findElement(By.cssSelector(row + " [data-action='really terminate']")).click();
        ui.until(d -> ui.all(row).isEmpty(), Duration.ofSeconds(60), "the failed instance stayed listed");
        assertThat(client.get("/api/v1/instances/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aVisitorSeesOnlyTheirAppsNoUploadNorAdminNorLogsAndReadsWhatTheApiRefuses() throws Exception {
        assertThat(client.send("POST", "/api/v1/tags",
                "{\"name\":\"partners\",\"title\":\"For partners\",\"visitorRoles\":[\"partner\"]}").statusCode()).isEqualTo(201);
        upload("io.test.v-public", "PUBLIC", "");
        upload("io.test.v-partner", "ALL_USERS", "Tags = [\"partners\"]");
        upload("io.test.v-members", "ALL_USERS", "");
        upload("io.test.v-private", "PRIVATE", "");

        // Public apps and those tagged for one of the visitor's roles; no Upload, no Admin.
        ui.actAs("vera", "visitor", "partner");
        ui.open("/").await(".card[data-app='io.test.v-partner']");
        assertThat(ui.all(".card")).extracting(e -> e.getAttribute("data-app"))
                .containsExactlyInAnyOrder("io.test.v-public", "io.test.v-partner");
        assertThat(ui.text("[data-test=user]")).isEqualTo("vera");
        assertThat(ui.text(".user .role")).isEqualTo("visitor");
        assertThat(ui.driver().findElement(By.id("nav-upload")).isDisplayed()).isFalse();
        assertThat(ui.driver().findElement(By.id("nav-admin")).isDisplayed()).isFalse();
        assertThat(ui.all("header nav a")).filteredOn(WebElement::isDisplayed).extracting(WebElement::getText)
                .containsExactly("Gallery", "My instances");
        ui.screenshot("visitor-gallery");
        ui.open("/admin").await("main h1");
        assertThat(ui.text("main")).contains("Only admins see this page.");
        assertThat(ui.all("#tag-name, table")).isEmpty();
        ui.open("/upload").await("[data-test=may-not-upload]");
        assertThat(ui.text("[data-test=may-not-upload]")).startsWith("Visitors cannot upload apps.");

        // A visitor runs an app they see; its page has no log, which the API would refuse them.
        ui.open("/apps/io.test.v-partner").await("[data-test=run]").click();
        ui.until(d -> d.getCurrentUrl().contains("/instances/i-"), Duration.ofSeconds(30), "Run did not open the instance");
        String id = ui.driver().getCurrentUrl().replaceAll(".*/instances/", "");
        ui.await("tr[data-instance='" + id + "']");
        ui.await("[data-action=apply]");
        assertThat(ui.all("[data-test=logs], #logs-title")).isEmpty();
        assertThat(client.as("vera", "visitor").get("/api/v1/instances/" + id + "/logs").statusCode()).isEqualTo(403);
        ui.screenshot("visitor-instance");

        // The page was loaded while vera was a full user; she is a visitor by the time she uploads. The API refuses,
        // and the page says why in words, not a status code.
        ui.actAs("vera", "full-user");
        ui.open("/upload").await("[data-test=dropzone]");
        ui.actAs("vera", "visitor", "partner");
        ui.dropFile("[data-test=dropzone]", "sneaky.wave", WaveBundleBuilder.app("io.test.v-sneaky", "1.0.0").bytes());
        ui.driver().findElement(By.cssSelector("[data-test=upload]")).click();
        WebElement problem = ui.await(".problem[data-problem$=forbidden]");
        assertThat(problem.getText()).contains("Not allowed").contains("visitors cannot upload apps");
        assertThat(problem.getAttribute("role")).isEqualTo("alert");
        ui.screenshot("visitor-forbidden");
        assertThat(client.get("/api/v1/apps/io.test.v-sneaky/1.0.0").statusCode()).isEqualTo(404);
    }

    @Test
    void theInstancePageFollowsNewLogLinesAndLeavingItLetsTheLogGo() throws Exception {
        String id = readyExample();
        String row = "tr[data-instance='" + id + "']";

        long others = steadyFollowedLogs(); // left by earlier tests' stores, if any: none but the page's must come
        ui.open("/instances/" + id).await(row + "[data-status=running]");
        ui.until(d -> logText().contains("READY") ? true : null, Duration.ofSeconds(30), "the log's tail");
        assertThat(count(logText(), "DOWNLOADING_BUNDLE")).isEqualTo(1);
        ui.script("window.samePage = true"); // gone if anything below reloaded the page
        ui.until(d -> followedLogs() > others ? true : null, Duration.ofSeconds(10), "the store follows the log for the page");
        assertThat(followedLogs()).as("one reader for the one page").isEqualTo(others + 1);

        // Suspend and resume from the page: the launcher stops, a new one starts, and their lines arrive as written.
        ui.driver().findElement(By.cssSelector(row + " [data-action=suspend]")).click();
        ui.await(row + "[data-status=suspended]", Duration.ofSeconds(60));
        assertThat(ui.text(row + " .status")).as("suspended by hand, not for idleness").isEqualTo("suspended");
        assertThat(ui.all(row + " .status[data-reason=by-hand]")).hasSize(1);
        ui.until(d -> logText().contains("asked to stop") ? true : null, Duration.ofSeconds(30),
                "the stopping launcher's lines in the followed log");
        ui.driver().findElement(By.cssSelector(row + " [data-action=resume]")).click();
        ui.until(d -> count(logText(), "DOWNLOADING_BUNDLE") == 2 && logText().indexOf("READY", logText().lastIndexOf(
                "DOWNLOADING_BUNDLE")) > 0 ? true : null, WebUiIT.READY_WITHIN, "the second launcher's lines, up to READY");
        assertThat(ui.script("return window.samePage === true")).isEqualTo(true);
        WebElement log = ui.driver().findElement(By.cssSelector("[data-test=logs]"));
        assertThat(ui.script("const l = arguments[0]; return l.scrollTop + l.clientHeight >= l.scrollHeight - 4", log))
                .as("the log stays scrolled to its newest line").isEqualTo(true);
        ui.screenshot("instance-log-followed");

        // Leaving the page (in-page navigation, so only the page itself can end its request) lets the log go. The
        // store notices a gone client when it next writes to it: on this quiet log, the keep-alive it writes every
        // 10 s. Were the page still following, the keep-alive would reach it and the reader stay.
        ui.driver().findElement(By.cssSelector("main a[href='/instances']")).click();
        ui.await(row);
        assertThat(ui.driver().getCurrentUrl()).endsWith("/instances");
        ui.until(d -> followedLogs() <= others ? true : null, Duration.ofSeconds(45),
                "a followed log was left open in the store after its page was left");
        assertThat(followedLogs()).isEqualTo(others);
        assertThat(ui.script("return window.samePage === true")).isEqualTo(true);
    }

    /** The count of followed logs once it has not changed for a second. */
    private static long steadyFollowedLogs() throws InterruptedException {
        long last = -1;
        for (int same = 0; same < 5; Thread.sleep(200)) {
            long now = followedLogs();
            same = now == last ? same + 1 : 0;
            last = now;
        }
        return last;
    }

    /** Threads of the store waiting in a followed log file for its next line: one per follower (the store runs here). */
    private static long followedLogs() {
        return Thread.getAllStackTraces().values().stream().filter(stack -> Arrays.stream(stack).anyMatch(frame ->
                frame.getClassName().endsWith(".LogFileStream") && frame.getMethodName().equals("nextLine"))).count();
    }

    private String logText() {
        return String.valueOf(ui.script("return document.querySelector('[data-test=logs]').textContent"));
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            n++;
        }
        return n;
    }

    private void upload(String name, String visibility, String extra) throws Exception {
        byte[] app = WaveBundleBuilder.app(name, "1.0.0").manifest(manifest(name, "1.0.0", name, extra)).bytes();
        HttpResponse<String> uploaded = client.upload("/api/v1/apps?visibility=" + visibility, app);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    }
}
