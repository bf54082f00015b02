package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RawHttp;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.router.fixture.TokenIdentity;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * With a real sign-in (an identity that is not the development one, and that may block, so it runs off the request
 * threads): browsers that are not signed in go to the store's sign-in and come back to the page they wanted; invalid
 * credentials are refused; and the store's credentials never reach the app.
 */
@ExtendWith(PostgresExtension.class)
class SignInIT {

    @TempDir
    static Path dataDir;

    static RouterFixture store;
    static PlainBackend backend;
    static HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of(), new TokenIdentity());
        backend = new PlainBackend("app");
    }

    @AfterAll
    static void stop() throws Exception {
        backend.close();
        store.close();
    }

    @Test
    void aBrowserNewToAnAppsOriginGetsItsPassFromTheStoreAndSignsInThroughIt() throws Exception {
        String id = store.running(store.apps.add("private", "1.0.0", "alice", RoutingMode.BASE_URL), "olga",
                Visibility.ALL_USERS, backend.address());
        String page = store.apps() + "/instance/" + id + "/page?tab=2";
        HttpResponse<String> first = navigate(page, null);
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.headers().firstValue("location")).hasValue(store.base() + "/auth/app-pass?to="
                + enc(page));

        // The store found nobody signed in: a grant for nobody, redeemed for this origin's pass.
        HttpResponse<String> redeemed = get(store.apps() + "/_wavestore/pass?grant="
                + enc(store.passes.grant(Optional.empty(), store.apps())) + "&to=" + enc("/instance/" + id + "/page?tab=2"),
                null);
        assertThat(redeemed.statusCode()).isEqualTo(302);
        assertThat(redeemed.headers().firstValue("location")).hasValue("/instance/" + id + "/page?tab=2");
        String setCookie = redeemed.headers().firstValue("set-cookie").orElseThrow();
        assertThat(setCookie).startsWith("wavestore_app=").contains("HttpOnly").contains("SameSite=Lax")
                .contains("Path=/").doesNotContain("Domain");
        String pass = setCookie.substring(0, setCookie.indexOf(';'));

        // With it, the private app sends the browser to sign in, and back through the store for a pass of the session.
        HttpResponse<String> refused = navigate(page, pass);
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(refused.headers().firstValue("location")).hasValue(store.base() + "/auth/login?return_to="
                + enc("/auth/app-pass?to=" + enc(page)));
        // A page's own request gets the status, not a redirect it could not follow.
        HttpResponse<String> fetch = get(store.apps() + "/instance/" + id + "/echo", pass);
        assertThat(fetch.statusCode()).isEqualTo(401);
        assertThat(fetch.body()).contains("/auth/login?return_to=");

        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(store.apps() + "/instance/" + id
                + "/echo")).header("Authorization", "Bearer user.boris").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).doesNotContain("user.boris").doesNotContain("authorization");

        HttpResponse<String> invalid = http.send(HttpRequest.newBuilder(URI.create(store.apps() + "/instance/" + id + "/"))
                .header("Authorization", "Bearer forged").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(invalid.body()).contains("not valid");
    }

    @Test
    void aPassStandsForItsSessionOnItsOwnOriginAndIsNeverForwarded() throws Exception {
        String id = store.running(store.apps.add("private-pass", "1.0.0", "alice", RoutingMode.BASE_URL), "olga",
                Visibility.ALL_USERS, backend.address());
        String pass = redeem(store.passes.grant(Optional.of("admin.rita"), store.apps()), store.apps());
        HttpResponse<String> echo = get(store.apps() + "/instance/" + id + "/echo", pass + "; theirs=1");
        assertThat(echo.statusCode()).as("rita is signed in").isEqualTo(200);
        assertThat(echo.body()).contains("theirs=1").doesNotContain("wavestore_app").doesNotContain("admin.rita");

        // The store's session cookie itself (which browsers never send here) counts for nothing on an app's origin.
        assertThat(get(store.apps() + "/instance/" + id + "/echo", "session=admin.rita").statusCode()).isEqualTo(401);
        // A grant is good for the origin it names only.
        HttpResponse<String> elsewhere = get(store.apps() + "/_wavestore/pass?grant="
                + enc(store.passes.grant(Optional.of("admin.rita"), "http://" + store.appHost("other"))) + "&to=/", null);
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.headers().firstValue("set-cookie")).isEmpty();
        assertThat(elsewhere.body()).contains("expired");
        // And the redirect stays on this origin whatever "to" says.
        HttpResponse<String> offsite = get(store.apps() + "/_wavestore/pass?grant="
                + enc(store.passes.grant(Optional.empty(), store.apps())) + "&to=" + enc("//evil.example/"), null);
        assertThat(offsite.headers().firstValue("location")).hasValue("/");
    }

    @Test
    void aDomainAppsBrowserGetsItsPassTheSameWay() throws Exception {
        String id = store.running(store.apps.add("private-domain", "1.0.0", "alice", RoutingMode.DOMAIN), "olga",
                Visibility.ALL_USERS, backend.address());
        RawHttp.Response page = RawHttp.send(store.port, "GET /x?y=1 HTTP/1.1\nHost: " + store.appHost(id)
                + "\nSec-Fetch-Mode: navigate");
        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("location")).hasValue(store.base() + "/auth/app-pass?to="
                + enc("http://" + store.appHost(id) + "/x?y=1"));
        String pass = redeem(store.passes.grant(Optional.of("admin.rita"), "http://" + store.appHost(id)),
                "http://" + store.appHost(id));
        RawHttp.Response served = RawHttp.send(store.port, "GET /echo HTTP/1.1\nHost: " + store.appHost(id)
                + "\nCookie: " + pass);
        assertThat(served.status()).isEqualTo(200);
        // The pass of one app's origin is nothing at another's.
        RawHttp.Response base = RawHttp.send(store.port, "GET /instance/" + id + "/echo HTTP/1.1\nHost: localhost:"
                + store.port + "\nCookie: " + pass);
        assertThat(base.status()).isEqualTo(401);
    }

    private static String redeem(String grant, String origin) throws Exception {
        HttpResponse<String> redeemed;
        if (origin.equals(store.apps())) {
            redeemed = get(origin + "/_wavestore/pass?grant=" + enc(grant) + "&to=/", null);
            String setCookie = redeemed.headers().firstValue("set-cookie").orElseThrow();
            return setCookie.substring(0, setCookie.indexOf(';'));
        }
        RawHttp.Response raw = RawHttp.send(store.port, "GET /_wavestore/pass?grant=" + enc(grant) + "&to=/ HTTP/1.1\nHost: "
                + URI.create(origin).getRawAuthority());
        String setCookie = raw.header("set-cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static HttpResponse<String> navigate(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Sec-Fetch-Mode", "navigate");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
