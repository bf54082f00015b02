package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.WaveBundleBuilder;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The activity history in the web UI, in headless Chromium: the admins' Activity page with its filters (newest first),
 * the usage table with its chart, and an app's history on its own page.
 */
class WebUiActivityIT extends UiTestBase {

    @org.junit.jupiter.api.Test
    void adminsReadTheActivityFilterItAndSeeAnAppsHistoryOnItsPage() throws Exception {
        StoreClient olga = client.as("olga", "full-user");
        assertThat(olga.upload("/api/v1/apps?visibility=PRIVATE", WaveBundleBuilder.app("io.test.audited", "1.0.0")
                .bytes()).statusCode()).isEqualTo(201);
        assertThat(client.send("PATCH", "/api/v1/apps/io.test.audited/1.0.0", "{\"visibility\":\"PUBLIC\"}")
                .statusCode()).isEqualTo(200);
        assertThat(client.send("POST", "/api/v1/tags", "{\"name\":\"audit\"}").statusCode()).isEqualTo(201);

        ui.open("/activity").await("[data-test=activity-filters]");
        ui.until(d -> {
            if (ui.all("tr[data-test=activity-row]").size() >= 3) {
                return true;
            }
            d.navigate().refresh(); // the projection writes a moment after the change
            return null;
        }, Duration.ofSeconds(30), "three events listed");
        assertThat(ui.text("tr[data-test=activity-row]")).as("newest first").contains("tag created");
        assertThat(ui.text("table.activity tbody")).contains("app version changed").contains("app version uploaded")
                .contains("olga").contains("developer");
        assertThat(ui.all("table.usage, [data-test=usage-empty]")).hasSize(1);
        ui.screenshot("activity");

        ui.driver().findElement(By.cssSelector("[data-test=filter-app]")).sendKeys("io.test.audited", Keys.ENTER);
        ui.until(d -> d.getCurrentUrl().contains("app=io.test.audited") && ui.all("tr[data-test=activity-row]").size() == 2
                ? true : null, Duration.ofSeconds(10), "the app filter left the app's two events");
        assertThat(ui.text("table.activity tbody")).doesNotContain("tag created");

        ui.open("/apps/io.test.audited/1.0.0").await("[data-test=history] tr[data-test=activity-row]");
        assertThat(ui.all("[data-test=history] tr[data-test=activity-row]")).hasSize(2);
        ui.screenshot("app-history");
    }
}
