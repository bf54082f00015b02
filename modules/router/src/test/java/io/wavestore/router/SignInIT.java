package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.RequestCredentials;
import io.wavestore.identity.Role;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RawHttp;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
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

    /**
     * Bearer tokens "user.<name>" sign in; anything else in Authorization is invalid; the cookie "session=admin.<name>"
     * is an admin's browser session whose CSRF token is "csrf.<name>".
     */
    static final class TokenIdentity implements CallerResolver {
        @Override
        public Authentication authenticate(RequestCredentials credentials) throws AuthenticationException {
            String session = credentials.cookies().getOrDefault("session", "");
            if (session.startsWith("admin.")) {
                String name = session.substring(6);
                return Authentication.session(new Caller(name, name, Role.ADMIN, Set.of(), Set.of(), false), "csrf." + name);
            }
            var token = credentials.bearerToken();
            if (token.isEmpty()) {
                return Authentication.anonymous();
            }
            if (!token.get().startsWith("user.")) {
                throw new AuthenticationException("the token is not valid");
            }
            String name = token.get().substring(5);
            return Authentication.of(new Caller(name, name, Role.FULL_USER, Set.of(), Set.of(), false),
                    Authentication.Method.BEARER);
        }
    }

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
    void browsersThatAreNotSignedInGoToTheStoresSignIn() throws Exception {
        String id = store.running(store.apps.add("private", "1.0.0", "alice", RoutingMode.BASE_URL), "olga",
                Visibility.ALL_USERS, backend.address());
        HttpResponse<String> navigation = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/instance/" + id
                + "/page?tab=2")).header("Sec-Fetch-Mode", "navigate").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(navigation.statusCode()).isEqualTo(302);
        assertThat(navigation.headers().firstValue("location"))
                .hasValue("/auth/login?return_to=%2Finstance%2F" + id + "%2Fpage%3Ftab%3D2");
        // A page's own request gets the status, not a redirect it could not follow.
        HttpResponse<String> fetch = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/instance/" + id + "/echo"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fetch.statusCode()).isEqualTo(401);
        assertThat(fetch.body()).contains("/auth/login?return_to=");

        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/instance/" + id
                + "/echo")).header("Authorization", "Bearer user.boris").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(200);
        assertThat(signedIn.body()).doesNotContain("user.boris").doesNotContain("authorization");

        HttpResponse<String> invalid = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/instance/" + id + "/"))
                .header("Authorization", "Bearer forged").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(invalid.body()).contains("not valid");
    }

    @Test
    void onAnAppsOwnHostTheSignInIsOfferedNotForced() throws Exception {
        String id = store.running(store.apps.add("private-domain", "1.0.0", "alice", RoutingMode.DOMAIN), "olga",
                Visibility.ALL_USERS, backend.address());
        RawHttp.Response page = RawHttp.send(store.port, "GET / HTTP/1.1\nHost: " + id + ".apps.localhost:" + store.port
                + "\nSec-Fetch-Mode: navigate");
        assertThat(page.status()).isEqualTo(401);
        assertThat(page.body()).contains("href=\"http://127.0.0.1:" + store.port + "/auth/login?return_to=%2F\"");
    }

    @Test
    void aliasChangesMadeWithTheSessionCookieNeedTheSessionsCsrfToken() throws Exception {
        String create = "{\"name\":\"csrf-check\"}";
        HttpResponse<String> without = aliasPost(create, null);
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(without.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(without.body()).contains("urn:wavestore:problem:csrf").contains("X-CSRF-Token");
        assertThat(aliasPost(create, "csrf.somebody-else").statusCode()).isEqualTo(403);
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/aliases"))
                .header("Cookie", "session=admin.rita").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).as("reading needs no token").isEqualTo(200);
        assertThat(listed.body()).as("nothing was made by the refused requests").doesNotContain("csrf-check");

        assertThat(aliasPost(create, "csrf.rita").statusCode()).isEqualTo(201);
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/aliases/csrf-check"))
                .header("Cookie", "session=admin.rita").header("X-CSRF-Token", "csrf.rita").DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
    }

    private static HttpResponse<String> aliasPost(String json, String csrfToken) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/aliases"))
                .header("Cookie", "session=admin.rita").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
