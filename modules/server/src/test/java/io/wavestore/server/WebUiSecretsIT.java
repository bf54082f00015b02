package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.testkit.WaveBundleBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Secrets page and the secrets an app page says its app needs, in a real headless Chromium against a real store:
 * create a secret, see its keys (never its value), replace its values, delete it; visitors get no Secrets page.
 * Screenshots go to target/screenshots/ui-secrets*.png.
 */
class WebUiSecretsIT extends UiTestBase {

    private static final String VALUE = "ui-value-8c1d2e";
    private static final String NEW_VALUE = "ui-value-changed-3b4a";

    @Test
    void createListReplaceAndDeleteASecretAndSeeWhatAnAppNeeds() throws Exception {
        StoreClient alice = client.as("alice", "full-user");
        byte[] bundle = WaveBundleBuilder.app("io.test.needs-secrets", "1.0.0").manifest(
                manifest("io.test.needs-secrets", "1.0.0", "Needs secrets", "") + """

                [[Env]]
                Name = "DB_PASSWORD"
                Secret = "db"
                SecretKey = "password"

                [[Env]]
                Name = "EXTRA"
                Secret = "extra"
                Optional = true

                [[File]]
                Path = "conf/creds.txt"
                Secret = "shared"
                """).bytes();
        assertThat(alice.upload("/api/v1/apps?visibility=ALL_USERS", bundle).statusCode()).isEqualTo(201);
        ui.actAs("alice", "full-user");

        ui.open("/apps/io.test.needs-secrets/1.0.0").await("[data-test=needed-secrets]");
        assertThat(ui.text("[data-test=needed-secrets] [data-secret=db]")).isEqualTo("db key password → env DB_PASSWORD");
        assertThat(ui.text("[data-test=needed-secrets] [data-secret=extra]")).endsWith("(optional)");
        assertThat(ui.text("[data-test=needed-secrets] [data-secret=shared]")).isEqualTo("shared key creds.txt → file conf/creds.txt");

        ui.driver().findElement(By.cssSelector("a[href='/secrets']")).click();
        ui.await("#secret-name");
        ui.driver().findElement(By.id("secret-name")).sendKeys("db");
        new Select(ui.driver().findElement(By.id("secret-scope"))).selectByValue("PRIVATE");
        ui.driver().findElement(By.cssSelector("[data-test=key]")).sendKeys("password");
        ui.driver().findElement(By.cssSelector("[data-test=value]")).sendKeys(VALUE);
        ui.driver().findElement(By.cssSelector("[data-test=create-secret]")).click();
        ui.await("tr[data-secret=db]");
        assertThat(ui.text("tr[data-secret=db] [data-test=keys]")).isEqualTo("password");
        ui.screenshot("secrets");
        assertThat(ui.driver().getPageSource()).doesNotContain(VALUE);

        // Replace: the old key offered again, one more added.
        ui.driver().findElement(By.cssSelector("tr[data-secret=db] [data-action=replace]")).click();
        List<WebElement> values = ui.all("form[aria-label='New values of db'] [data-test=value]");
        values.get(0).sendKeys(NEW_VALUE);
        ui.driver().findElement(By.cssSelector("form[aria-label='New values of db'] [data-test=add-key]")).click();
        List<WebElement> keys = ui.all("form[aria-label='New values of db'] [data-test=key]");
        keys.get(1).sendKeys("user");
        ui.all("form[aria-label='New values of db'] [data-test=value]").get(1).sendKeys("alice");
        ui.driver().findElement(By.cssSelector("[data-test=save-values]")).click();
        ui.until(d -> ui.text("tr[data-secret=db] [data-test=keys]").equals("password, user") ? true : null,
                Duration.ofSeconds(20), "the replaced keys did not show");
        JsonNode listed = StoreClient.json(alice.get("/api/v1/secrets")).get(0);
        assertThat(listed.get("keys").toString()).isEqualTo("[\"password\",\"user\"]");
        assertThat(ui.driver().getPageSource()).doesNotContain(VALUE, NEW_VALUE);

        // A problem is shown as the API said it: a second "db" of Alice's.
        ui.driver().findElement(By.id("secret-name")).sendKeys("db");
        ui.driver().findElement(By.cssSelector("form[aria-labelledby=secret-form-title] [data-test=key]")).sendKeys("k");
        ui.driver().findElement(By.cssSelector("[data-test=create-secret]")).click();
        assertThat(ui.await("[data-problem$=secret-exists]").getText()).contains("exists already");

        ui.script("window.confirm = () => true;");
        ui.driver().findElement(By.cssSelector("tr[data-secret=db] [data-action=delete]")).click();
        ui.await("[data-test=none]");
        assertThat(StoreClient.json(alice.get("/api/v1/secrets"))).isEmpty();

        ui.actAs("vic", "visitor");
        ui.open("/secrets").await("[data-test=no-secrets]");
        assertThat(ui.driver().findElement(By.id("nav-secrets")).isDisplayed()).isFalse();
    }
}
