package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 in the web UI, in a real headless Chromium against a real store on the local runtime: an instance the store
 * suspended because nobody used it says so ("suspended (idle)"), unlike one suspended by hand.
 */
class WebUiIdleIT extends UiTestBase {

    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);

    @Override
    Map<String, Object> storeSettings() {
        // hello-wave's app.toml says 2h: the store's maximum makes it 15 seconds (any positive duration is taken), so
        // that the test waits no longer than it must, yet long enough that the page shows it running first.
        return Map.of("wavestore.scheduler.idle.maximum-timeout", IDLE_TIMEOUT.toSeconds() + "s",
                "wavestore.scheduler.idle.check-interval", "2s",
                "wavestore.router.idle.report-interval", "1s");
    }

    @Test
    void anInstanceSuspendedForIdlenessSaysSoOnItsPage() throws Exception {
        String id = readyExample();
        String row = "tr[data-instance='" + id + "']";

        // Nobody opens it: the store suspends it after its timeout, and the page (which polls) shows why.
        ui.open("/instances/" + id).await(row + "[data-status=running]");
        ui.await(row + "[data-status=suspended]", IDLE_TIMEOUT.plusMinutes(2));
        assertThat(ui.text(row + " .status")).isEqualTo("suspended (idle)");
        assertThat(ui.driver().findElement(org.openqa.selenium.By.cssSelector(row + " .status")).getAttribute("title"))
                .contains("inactivity");
        ui.screenshot("instance-suspended-idle");
        // The list of one's instances says it too.
        ui.open("/instances").await(row + " .status[data-reason=idle]");
        assertThat(ui.text(row + " .status")).isEqualTo("suspended (idle)");
    }
}
