package io.wavestore.server;

import static io.wavestore.server.AppOriginIsolationIT.api;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app with {@code EnableOIDC = true} knows who signed in, through the store, in a real headless Chromium: the store
 * and the app's waved both sign in at a real OpenID Connect provider on loopback (mock-oauth2-server), the app with
 * the store's client for apps. Waved's own sign-in (its {@code _auth/init}, the provider's redirect back to
 * {@code _auth/callback} on the app's origin, its {@code oidcsession} cookie) goes through the store's router; the
 * app reads {@code q.auth} and calls the provider's userinfo API as the user with {@code q.auth.access_token}.
 */
@ExtendWith(PostgresExtension.class)
class WaveOidcAppIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STORE_CLIENT = "wavestore"; // TestStoreConfig.localSigningIn's
    private static final String APPS_CLIENT = "wave-apps";
    private static final String APPS_SECRET = "apps-client-secret-never-shown";

    /** Greets the visitor by the name the provider's userinfo API gives for their access token. */
    private static final String APP = """
            import json
            import os
            import urllib.request
            from h2o_wave import main, app, Q, ui

            USERINFO = %s


            def userinfo(token):
                request = urllib.request.Request(USERINFO, headers={'Authorization': 'Bearer ' + token})
                with urllib.request.urlopen(request, timeout=10) as answer:
                    return json.load(answer)


            @app('/')
            async def serve(q: Q):
                info = userinfo(q.auth.access_token) if q.auth.access_token else {}
                secret_seen = any('OIDC' in name for name in os.environ)
                q.page['who'] = ui.markdown_card(box='1 1 4 3', title='Who', content=(
                    f"Hello, {info.get('name', 'nobody')}! username={q.auth.username} subject={q.auth.subject}"
                    f" oidc-in-app-env={secret_seen}"))
                await q.page.save()
            """;

    @TempDir
    Path dataDir;

    /** The store closes with the test; the launchers it started would not (see LocalLaunchers). */
    @AfterEach
    void stopLaunchers() {
        LocalLaunchers.stopAll(dataDir);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BASE_URL", "DOMAIN"})
    void anEnableOidcAppGreetsTheSignedInUserByName(String routingMode, TestDatabase database) throws Exception {
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        int port = TestStoreConfig.freePort();
        String store = "http://127.0.0.1:" + port;
        // The apps' client apart from the store's; its provider is the store's issuer.
        var config = TestStoreConfig.localSigningIn(dataDir, port, database, provider.issuerUrl("default").toString(),
                Map.of("wavestore.identity.app-oidc.client-id", APPS_CLIENT,
                        "wavestore.identity.app-oidc.client-secret", APPS_SECRET));
        try (Wavestore running = Wavestore.start(config); UiBrowser ui = new UiBrowser(port)) {
            String olga = "Bearer " + provider.issueToken("default", "olga", STORE_CLIENT, Map.of("name", "Olga"), 3600)
                    .serialize();
            String app = "io.test.who-" + routingMode.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            byte[] bundle = WaveBundleBuilder.app(app, "1.0.0")
                    .manifest("""
                            [App]
                            Name = "%s"
                            Version = "1.0.0"
                            Title = "Who am I"
                            [Runtime]
                            Module = "app"
                            EnableOIDC = true
                            RoutingMode = "%s"
                            """.formatted(app, routingMode))
                    .file("app.py", APP.formatted(JSON.writeValueAsString(provider.userInfoUrl("default").toString())))
                    .bytes();
            assertThat(api(store, "POST", "/api/v1/apps?visibility=PRIVATE", olga, bundle, "application/zip").statusCode())
                    .isEqualTo(201);
            JsonNode instance = JSON.readTree(api(store, "POST", "/api/v1/instances", olga,
                    ("{\"app\":\"" + app + "\",\"version\":\"1.0.0\"}").getBytes(), "application/json").body());
            String id = instance.get("id").asText();
            try {
                // Where the browser ends up: BASE_URL apps under the apps' origin, DOMAIN apps on a host of their own.
                String appUrl = routingMode.equals("DOMAIN") ? "http://" + id + ".localhost:" + port + "/"
                        : "http://localhost:" + port + "/instance/" + id + "/";
                greetsOlga(ui, provider, store, olga, id, instance.get("url").asText(), appUrl);
            } finally {
                // Local launchers outlive a store by design: this one ends with the test.
                api(store, "DELETE", "/api/v1/instances/" + id, olga, null, null);
            }
        } finally {
            provider.shutdown();
        }
    }

    private void greetsOlga(UiBrowser ui, MockOAuth2Server provider, String store, String olga, String id, String url,
            String appUrl) throws Exception {
        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                JSON.readTree(api(store, "GET", "/api/v1/instances/" + id, olga, null, null).body()).path("ready")
                        .asBoolean());

        // Olga signs in to the store, then opens her app: waved sends her to the provider (already signed in
        // there, it answers at once) and back to the app's origin, where the app greets her.
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "olga", "JWT", List.of(STORE_CLIENT),
                Map.of("name", "Olga"), 3600));
        ui.open("/auth/login?return_to=/api/v1/me"); // where the UI's sign-in button goes
        ui.until(d -> d.getPageSource().contains("\"signedIn\":true") ? true : null, Duration.ofSeconds(20),
                "signed in at the store");
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "olga", "JWT", List.of(APPS_CLIENT),
                Map.of("name", "Olga", "preferred_username", "olga"), 3600));
        ui.driver().get(url);
        ui.until(d -> d.getPageSource().contains("Hello, Olga!") ? true : null, Duration.ofSeconds(60),
                "the app greeting Olga");
        ui.screenshot("oidc-app-greets-" + (url.equals(appUrl) ? "base-url" : "domain"));
        String page = ui.driver().getPageSource();
        assertThat(page).contains("username=olga", "subject=olga", "oidc-in-app-env=False");
        assertThat(ui.driver().getCurrentUrl()).startsWith(appUrl);
        assertThat(ui.driver().manage().getCookieNamed("oidcsession")).as("waved's own session cookie").isNotNull();
        assertThat(ui.driver().manage().getCookies()).noneMatch(c -> c.getName().equals("wavestore_session"));

        // The apps' client secret is nowhere to be read: not in the API, the instance's log or its files.
        assertThat(api(store, "GET", "/api/v1/instances/" + id, olga, null, null).body()).doesNotContain(APPS_SECRET);
        String log = api(store, "GET", "/api/v1/instances/" + id + "/logs?tail=500", olga, null, null).body();
        assertThat(log).contains("[waved]").doesNotContain(APPS_SECRET);
        // The store's probes (every second) ask waved's sign-in page, which does not log each of them as a
        // request without a session; the browser's first visit does.
        assertThat(log.lines().filter(line -> line.contains("oauth2_cookie_read")).count()).isLessThan(5);
        try (Stream<Path> files = Files.walk(dataDir.resolve("instances").resolve(id), 2)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(APPS_SECRET);
            }
        }
    }
}
