package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * Signing in and out of the web UI through a real OpenID Connect provider on loopback (mock-oauth2-server), in a
 * real headless Chromium: the session cookie, and an upload that only succeeds because the UI sends the session's
 * CSRF token.
 */
@ExtendWith(PostgresExtension.class)
class WebUiSignInIT {

    @TempDir
    Path dataDir;

    @Test
    void signInUploadWithTheCsrfTokenAndSignOut(TestDatabase database) throws Exception {
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        int port = TestStoreConfig.freePort();
        // The local store's configuration, signing in through the provider and with no instances to run.
        var config = TestStoreConfig.local(dataDir, port, database, Map.of(
                "wavestore.scheduler.runtime", "none",
                "wavestore.identity.mode", "oidc",
                "wavestore.identity.oidc.issuer", provider.issuerUrl("default").toString(),
                "wavestore.identity.oidc.client-id", "wavestore",
                "wavestore.identity.oidc.client-secret", "client-secret-for-tests"));
        try (Wavestore store = Wavestore.start(config);
                UiBrowser ui = new UiBrowser(port)) {
            ui.open("/upload").await("[data-test=sign-in]");
            assertThat(ui.all("#dev-banner")).noneMatch(e -> e.isDisplayed());
            assertThat(ui.text("main")).contains("Sign in as a full user");

            provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "olga", "JWT", List.of("wavestore"),
                    Map.of("name", "Olga"), 3600));
            ui.driver().findElement(By.cssSelector("[data-test=sign-in]")).click();
            ui.until(d -> d.getCurrentUrl().endsWith("/upload") && !ui.all("[data-test=sign-out]").isEmpty() ? true : null,
                    Duration.ofSeconds(20), "back on the upload page, signed in");
            assertThat(ui.text("[data-test=user]")).isEqualTo("Olga");
            ui.screenshot("signed-in");

            Path bundle = Files.write(dataDir.resolve("olgas.wave"), WaveBundleBuilder.app("io.test.olgas", "1.0.0").bytes());
            ui.driver().findElement(By.id("upload-file")).sendKeys(bundle.toString());
            ui.driver().findElement(By.cssSelector("[data-test=upload]")).click();
            ui.until(d -> d.getCurrentUrl().endsWith("/apps/io.test.olgas/1.0.0") ? true : null, Duration.ofSeconds(30),
                    "the upload (a POST with the session cookie) went through");
            assertThat(ui.await("[data-test=owner]").getText()).isEqualTo("olga");

            ui.driver().findElement(By.cssSelector("[data-test=sign-out]")).click();
            ui.await("[data-test=sign-in]");
            assertThat(ui.text("[data-test=user]")).isEqualTo("Not signed in");
            ui.screenshot("signed-out-oidc");
        } finally {
            provider.shutdown();
        }
    }
}
