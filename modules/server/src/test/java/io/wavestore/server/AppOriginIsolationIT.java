package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * An app cannot act as whoever opens it. A signed-in user (real OpenID Connect sign-in, headless Chromium) opens a
 * Wave app whose page script tries everything a hostile app would with the visitor's session: read the store's
 * cookies, read the store's API (for the CSRF token), create a personal API token, and reach an API on its own origin.
 * The app is served on its own origin, through the store's pass for that origin, so every attempt fails; the store
 * confirms that nothing was made.
 */
@ExtendWith(PostgresExtension.class)
class AppOriginIsolationIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT_ID = "wavestore";

    /** The page script of the hostile app: every attempt's outcome, written into the page for the test to read. */
    private static final String PROBE = """
            (async function () {
              const store = '%s';
              const out = {};
              async function attempt(name, f) {
                try { out[name] = await f(); } catch (e) { out[name] = 'blocked'; }
              }
              await attempt('cookies', async () => document.cookie);
              await attempt('readMe', async () => {
                const r = await fetch(store + '/api/v1/me', {credentials: 'include'});
                return 'read ' + r.status + ' ' + (await r.text());
              });
              await attempt('createToken', async () => {
                const r = await fetch(store + '/api/v1/tokens', {method: 'POST', mode: 'no-cors',
                    credentials: 'include', headers: {'Content-Type': 'text/plain'}, body: '{"name":"stolen"}'});
                return 'sent';
              });
              await attempt('ownOriginApi', async () => {
                const r = await fetch('/api/v1/me', {credentials: 'include'});
                return 'status ' + r.status;
              });
              const pre = document.createElement('pre');
              pre.id = 'probe';
              pre.textContent = JSON.stringify(out);
              document.body.appendChild(pre);
            })();
            """;

    @TempDir
    java.nio.file.Path dataDir;

    /** The store closes with the test; the launchers it started would not (see LocalLaunchers). */
    @AfterEach
    void stopLaunchers() {
        LocalLaunchers.stopAll(dataDir);
    }

    @Test
    void anAppsPageScriptCannotUseTheStoreWithItsVisitorsSession(TestDatabase database) throws Exception {
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        int port = TestStoreConfig.freePort();
        String store = "http://127.0.0.1:" + port;
        var config = TestStoreConfig.local(dataDir, port, database, Map.of(
                "wavestore.identity.mode", "oidc",
                "wavestore.identity.oidc.issuer", provider.issuerUrl("default").toString(),
                "wavestore.identity.oidc.client-id", CLIENT_ID,
                "wavestore.identity.oidc.client-secret", "client-secret-for-tests"));
        try (Wavestore running = Wavestore.start(config); UiBrowser ui = new UiBrowser(port)) {
            String olga = "Bearer " + provider.issueToken("default", "olga", CLIENT_ID, Map.of("name", "Olga"), 3600)
                    .serialize();
            byte[] bundle = WaveBundleBuilder.app("io.test.hostile", "1.0.0")
                    .file("app.py", """
                            from h2o_wave import main, app, Q, ui

                            PROBE = %s

                            @app('/')
                            async def serve(q: Q):
                                q.page['meta'] = ui.meta_card(box='', script=ui.inline_script(PROBE))
                                q.page['hello'] = ui.markdown_card(box='1 1 3 2', title='Hello', content='An app')
                                await q.page.save()
                            """.formatted(JSON.writeValueAsString(PROBE.formatted(store))))
                    .bytes();
            assertThat(api(store, "POST", "/api/v1/apps?visibility=PRIVATE", olga, bundle, "application/zip").statusCode())
                    .isEqualTo(201);
            JsonNode instance = JSON.readTree(api(store, "POST", "/api/v1/instances", olga,
                    "{\"app\":\"io.test.hostile\",\"version\":\"1.0.0\"}".getBytes(), "application/json").body());
            String id = instance.get("id").asText();
            assertThat(instance.get("url").asText()).as("apps are opened on their own origin")
                    .isEqualTo("http://localhost:" + port + "/instance/" + id + "/");
            Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    JSON.readTree(api(store, "GET", "/api/v1/instances/" + id, olga, null, null).body()).path("ready")
                            .asBoolean());

            // Olga signs in to the store in the browser, then opens her app where the store says it is.
            ui.open("/instances").await("[data-test=sign-in]");
            provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "olga", "JWT", List.of(CLIENT_ID),
                    Map.of("name", "Olga"), 3600));
            ui.driver().findElement(By.cssSelector("[data-test=sign-in]")).click();
            ui.until(d -> !ui.all("[data-test=sign-out]").isEmpty() ? true : null, Duration.ofSeconds(20), "signed in");
            ui.driver().get(instance.get("url").asText());
            String probe = ui.await("#probe", Duration.ofSeconds(60)).getText();
            ui.screenshot("hostile-app");
            assertThat(ui.driver().getCurrentUrl()).as("the pass brought her back to the app")
                    .startsWith("http://localhost:" + port + "/instance/" + id + "/");

            JsonNode outcome = JSON.readTree(probe);
            assertThat(outcome.get("cookies").asText()).as("no cookie of the store's is visible to the app").isEmpty();
            assertThat(outcome.get("readMe").asText()).as("the store's API is not readable from the app's origin")
                    .isEqualTo("blocked");
            assertThat(outcome.get("ownOriginApi").asText()).as("nothing of the store's on the app's origin")
                    .isEqualTo("status 404");
            JsonNode tokens = JSON.readTree(api(store, "GET", "/api/v1/tokens", olga, null, null).body());
            assertThat(tokens.toString()).as("the token the app asked for was not made").doesNotContain("stolen");
            // The store's session cookie never went to the app's origin.
            assertThat(ui.driver().manage().getCookies()).noneMatch(c -> c.getName().equals("wavestore_session"));
        } finally {
            provider.shutdown();
        }
    }

    static HttpResponse<String> api(String store, String method, String path, String authorization, byte[] body,
            String contentType) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(store + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
