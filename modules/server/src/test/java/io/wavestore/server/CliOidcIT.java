package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.config.Profile;
import io.wavestore.cli.config.Profiles;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wavestore login} with the store's OpenID Connect provider, real and on loopback (mock-oauth2-server): the
 * authorization code flow with PKCE through a "browser" that follows the provider's redirect to the command's
 * loopback listener; then calls with the access token, a refresh when it expires, personal API tokens, and wrong
 * credentials refused with exit code 4.
 */
@ExtendWith(PostgresExtension.class)
class CliOidcIT {

    static final String STORE_CLIENT_ID = "wavestore";

    @TempDir
    static Path dataDir;

    @TempDir
    Path configDir;

    @AutoClose("shutdown")
    static MockOAuth2Server provider;
    @AutoClose
    static Wavestore store;
    static URI base;

    @BeforeAll
    static void start(TestDatabase db) throws Exception {
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        store = Wavestore.start(TestStoreConfig.oidc(dataDir, db, provider.issuerUrl("default").toString(), STORE_CLIENT_ID));
        base = URI.create("http://127.0.0.1:" + store.address().getPort());
    }

    /** A browser that signs in at once: it follows the provider's redirect back to the command's listener. */
    static boolean followRedirects(URI uri) {
        try {
            HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();
            return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    CliRunner cli() {
        return new CliRunner(base, configDir).browser(CliOidcIT::followRedirects);
    }

    void signInAs(String user) {
        // The access token names the store's client as its audience, as the provider is configured to for this CLI.
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", user, "JWT", List.of(STORE_CLIENT_ID),
                Map.of("name", "Olga"), 3600));
        CliRunner.Run login = cli().run("login", "--issuer", provider.issuerUrl("default").toString(),
                "--client-id", "wavestore-cli");
        assertThat(login.code()).as(login.toString()).isZero();
        assertThat(login.out()).isEqualTo(user + " (Olga), FULL_USER, signed in by bearer\n");
        assertThat(login.err()).contains("code_challenge_method=S256", "redirect_uri=http%3A%2F%2F127.0.0.1%3A");
    }

    @Test
    void signInInTheBrowserThenUseTheStore() {
        signInAs("olga");
        Profile kept = Profiles.load(configDir).get(Profiles.DEFAULT);
        assertThat(kept.oidc().refreshToken()).isNotBlank();
        assertThat(kept.store()).isEqualTo(base.toString());

        // The profile is used by the next commands: an upload needs no CSRF token with a bearer token.
        CliRunner.Run imported = cli().run("bundle", "import",
                WaveBundleBuilder.app("olgas-cli-app", "1.0.0").writeTo(configDir.resolve("a.wave")).toString());
        assertThat(imported.code()).as(imported.toString()).isZero();
        assertThat(imported.out()).containsPattern("owner +olga");

        // An access token about to expire is refreshed before the call, and the profile keeps the new one.
        Profiles.load(configDir).with(Profiles.DEFAULT, kept.withOidc(new Profile.OidcTokens(kept.oidc().issuer(),
                kept.oidc().clientId(), "expired-access-token", kept.oidc().refreshToken(), Instant.now().minusSeconds(60))))
                .save();
        CliRunner.Run refreshed = cli().run("whoami", "--json");
        assertThat(refreshed.code()).as(refreshed.toString()).isZero();
        assertThat(refreshed.out()).contains("\"signedIn\" : true", "\"authenticatedBy\" : \"bearer\"");
        assertThat(Profiles.load(configDir).get(Profiles.DEFAULT).oidc().accessToken()).isNotEqualTo("expired-access-token");

        assertThat(cli().run("logout").code()).isZero();
        CliRunner.Run signedOut = cli().run("bundle", "import", configDir.resolve("a.wave").toString());
        assertThat(signedOut.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(signedOut.err()).contains("[401 sign-in-required]");
    }

    @Test
    void personalTokensAndWrongCredentials() {
        signInAs("tom");
        CliRunner.Run created = cli().run("token", "create", "laptop");
        assertThat(created.code()).as(created.toString()).isZero();
        String token = created.out().strip();
        assertThat(token).startsWith("wst_");
        assertThat(cli().run("token", "list").out()).containsPattern("laptop +wst_");

        CliRunner.Run withToken = cli().runWithInput(token + "\n", "login", "--with-token");
        assertThat(withToken.code()).as(withToken.toString()).isZero();
        assertThat(withToken.out()).contains("signed in by api_token");

        // Wrong credentials: refused with a message and exit code 4, and a bad token is never kept.
        CliRunner.Run bogus = cli().runWithInput("wst_not-a-real-token\n", "login", "--with-token");
        assertThat(bogus.code()).as(bogus.toString()).isEqualTo(ExitCodes.AUTH);
        assertThat(bogus.err()).startsWith("error: ").contains("[401 ");
        assertThat(Profiles.load(configDir).get(Profiles.DEFAULT).token()).isEqualTo(token);
        CliRunner.Run fromEnv = cli().variable("WAVESTORE_TOKEN", "wst_also-wrong").run("app", "list");
        assertThat(fromEnv.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(fromEnv.err()).contains("sign in with `wavestore login`");
    }
}
