package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.router.Router;
import io.wavestore.router.RouterSettings;
import io.wavestore.router.alias.AliasLookup;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.server.alias.AliasService;
import io.wavestore.router.fixture.TokenIdentity;
import io.wavestore.server.http.StoreSide;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's own host behind the router, with a real sign-in: changes come from the store's pages only, and a change
 * made with the session cookie carries the session's CSRF token (the alias API is the change tried).
 */
@ExtendWith(PostgresExtension.class)
class StoreSideIT {

    @TempDir
    static Path dataDir;

    static RouterFixture store;
    static HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** The store's side as the store wires it (the alias table, its API), around a stand-in for the rest of its API. */
    static final RouterFixture.Store STORE_SIDE = new RouterFixture.Store() {
        @Override
        public AliasLookup aliases(Jdbi jdbi) {
            return new AliasService(jdbi, Clock.systemUTC())::list;
        }

        @Override
        public Route routes(ActorSystem<?> system, Router router, RouterSettings settings, Jdbi jdbi) {
            return StoreSide.of(system, router, settings, new AliasService(jdbi, Clock.systemUTC()),
                    Wavestore.jsonMapper(), RouterFixture.STAND_IN.routes(system, router, settings, jdbi));
        }
    };

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of(), new TokenIdentity(), STORE_SIDE);
    }

    @AfterAll
    static void stop() throws Exception {
        store.close();
    }

    @Test
    void theStoreRefusesChangesFromPagesOfOtherOrigins() throws Exception {
        HttpResponse<String> fromApp = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/aliases"))
                .header("Authorization", "Bearer user.boris").header("Origin", store.apps())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"from-an-app\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fromApp.statusCode()).isEqualTo(403);
        assertThat(fromApp.headers().firstValue("content-type")).hasValue("application/problem+json");
        assertThat(fromApp.body()).contains("urn:wavestore:problem:cross-origin");
        HttpResponse<String> listed = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/aliases"))
                .header("Cookie", "session=admin.rita").header("Origin", store.apps()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(listed.statusCode()).as("reading is no change").isEqualTo(200);
        assertThat(listed.body()).doesNotContain("from-an-app");
        // The apps' origin serves nothing of the store's, and the store no app.
        assertThat(get(store.apps() + "/api/v1/aliases").statusCode()).isEqualTo(404);
        HttpResponse<String> moved = get(store.base() + "/instance/i-abc/x?y=1");
        assertThat(moved.statusCode()).isEqualTo(307);
        assertThat(moved.headers().firstValue("location")).hasValue(store.apps() + "/instance/i-abc/x?y=1");
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

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
