package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RawHttp;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.identity.DevelopmentIdentity;
import io.wavestore.identity.Role;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aliases end to end, the store's alias API in front of the router's data plane: the admin API (problem+json errors included) over real PostgreSQL, and what the router does
 * with them: serve, redirect navigations to the primary, follow an alias to a newer instance, 404 when it points at
 * nothing (any more).
 */
@ExtendWith(PostgresExtension.class)
class AliasIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    @AutoClose
    static RouterFixture store;
    @AutoClose
    static PlainBackend v1;
    @AutoClose
    static PlainBackend v2;
    static AppLookup.AppRuntime app;
    static AppLookup.AppRuntime appV2;
    static AppLookup.AppRuntime domainApp;
    static HttpClient http;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of(), new DevelopmentIdentity("developer", Role.ADMIN),
                StoreSideIT.STORE_SIDE);
        v1 = new PlainBackend("v1");
        v2 = new PlainBackend("v2");
        app = store.apps.add("sales", "1.0.0", "alice", RoutingMode.BASE_URL);
        appV2 = store.apps.add("sales", "2.0.0", "alice", RoutingMode.BASE_URL);
        domainApp = store.apps.add("board", "1.0.0", "alice", RoutingMode.DOMAIN);
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void adminsManageAliasesAndTheRouterFollowsThem() throws Exception {
        String first = store.running(app, "alice", Visibility.ALL_USERS, v1.address());

        HttpResponse<String> created = post("/api/v1/aliases", "{\"name\":\"sales\",\"instance\":\"" + first + "\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("location")).hasValue("/api/v1/aliases/sales");
        JsonNode sales = JSON.readTree(created.body());
        assertThat(sales.get("instance").asText()).isEqualTo(first);
        assertThat(sales.get("primary").asBoolean()).as("the first alias of an instance is its primary").isTrue();
        assertThat(sales.get("url").asText()).isEqualTo(store.apps() + "/instance/sales/");
        assertThat(sales.get("createdBy").asText()).isEqualTo("developer");

        // Served through the alias: the Wave server still sees its own base URL.
        JsonNode echo = JSON.readTree(get("/instance/sales/echo?x=1", "bob", false).body());
        assertThat(echo.get("backend").asText()).isEqualTo("v1");
        assertThat(echo.get("path").asText()).isEqualTo("/instance/" + first + "/echo");
        assertThat(echo.get("headers").get("x-forwarded-prefix").get(0).asText()).isEqualTo("/instance/sales");

        // Browsers that open the id go to the primary alias; the page's own requests stay where they are.
        HttpResponse<String> byId = get("/instance/" + first + "/?tab=2", "bob", true);
        assertThat(byId.statusCode()).isEqualTo(302);
        assertThat(byId.headers().firstValue("location")).hasValue("/instance/sales/?tab=2");
        assertThat(get("/instance/" + first + "/echo", "bob", false).statusCode()).isEqualTo(200);

        // A second alias redirects to the primary, until it is promoted.
        assertThat(post("/api/v1/aliases", "{\"name\":\"sales-eu\",\"instance\":\"" + first + "\"}", null).statusCode())
                .isEqualTo(201);
        assertThat(get("/instance/sales-eu/", "bob", true).headers().firstValue("location")).hasValue("/instance/sales/");
        HttpResponse<String> promoted = put("/api/v1/aliases/sales-eu/primary", null, null);
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(JSON.readTree(promoted.body()).get("primary").asBoolean()).isTrue();
        assertThat(get("/instance/sales/", "bob", true).headers().firstValue("location")).hasValue("/instance/sales-eu/");
        assertThat(get("/instance/sales-eu/", "bob", true).statusCode()).isEqualTo(200);

        JsonNode listed = JSON.readTree(get("/api/v1/aliases?instance=" + first, null, false).body());
        assertThat(listed).hasSize(2);
        assertThat(listed.get(0).get("name").asText()).isEqualTo("sales");
        assertThat(listed.get(0).get("primary").asBoolean()).isFalse();
        assertThat(listed.get(1).get("primary").asBoolean()).isTrue();

        // The alias keeps its URL when it moves to the instance of the next version.
        String second = store.running(appV2, "alice", Visibility.ALL_USERS, v2.address());
        HttpResponse<String> moved = put("/api/v1/aliases/sales/instance", "{\"instance\":\"" + second + "\"}", null);
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(JSON.readTree(moved.body()).get("primary").asBoolean())
                .as("it becomes primary where there was none").isTrue();
        JsonNode now = JSON.readTree(get("/instance/sales/echo", "bob", false).body());
        assertThat(now.get("backend").asText()).isEqualTo("v2");
        assertThat(now.get("path").asText()).isEqualTo("/instance/" + second + "/echo");

        // An alias whose instance is gone answers 404; a deleted alias too.
        assertThat(store.send(second, InstanceActor.Terminate::new)).isInstanceOf(InstanceActor.Done.class);
        HttpResponse<String> gone = get("/instance/sales/", "bob", true);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("no longer exists");
        assertThat(delete("/api/v1/aliases/sales", null).statusCode()).isEqualTo(204);
        assertThat(get("/instance/sales/", "bob", true).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/aliases/sales", null, false).statusCode()).isEqualTo(404);
    }

    @Test
    void aliasesOfDomainAppsAreHostNames() throws Exception {
        String id = store.running(domainApp, "alice", Visibility.PUBLIC, v1.address());
        HttpResponse<String> created = post("/api/v1/aliases", "{\"name\":\"board\",\"instance\":\"" + id + "\"}", null);
        assertThat(JSON.readTree(created.body()).get("url").asText())
                .isEqualTo("http://board.localhost:" + store.port + "/");
        RawHttp.Response served = RawHttp.send(store.port, "GET /echo HTTP/1.1\nHost: board.localhost:" + store.port);
        assertThat(served.status()).isEqualTo(200);
        assertThat(JSON.readTree(served.body()).get("path").asText()).isEqualTo("/echo");
        RawHttp.Response byId = RawHttp.send(store.port, "GET /?a=1 HTTP/1.1\nHost: " + id + ".localhost:" + store.port
                + "\nSec-Fetch-Mode: navigate\nAccept: text/html");
        assertThat(byId.status()).isEqualTo(302);
        assertThat(byId.header("location")).hasValue("http://board.localhost:" + store.port + "/?a=1");
        // Through the store's path, the alias goes to its host.
        HttpResponse<String> path = get("/instance/board/x", null, false);
        assertThat(path.statusCode()).isEqualTo(307);
        assertThat(path.headers().firstValue("location")).hasValue("http://board.localhost:" + store.port + "/x");
    }

    @Test
    void refusesBadChangesWithProblems() throws Exception {
        String id = store.running(app, "alice", Visibility.PUBLIC, v1.address());
        assertProblem(post("/api/v1/aliases", "{\"name\":\"Sales!\"}", null), 400, "invalid-parameter", "name");
        assertProblem(post("/api/v1/aliases", "{\"name\":\"i-abcdefabcdef\"}", null), 400, "invalid-parameter", "name");
        assertProblem(post("/api/v1/aliases", "{\"name\":\"orphan\",\"instance\":\"i-doesnotexist\"}", null), 404,
                "instance-not-found", "instance");
        assertThat(post("/api/v1/aliases", "{\"name\":\"twice\"}", null).statusCode()).isEqualTo(201);
        assertProblem(post("/api/v1/aliases", "{\"name\":\"twice\"}", null), 409, "alias-exists", "name");
        assertProblem(put("/api/v1/aliases/twice/primary", null, null), 409, "alias-unassigned", null);
        assertProblem(put("/api/v1/aliases/nobody/instance", "{\"instance\":\"" + id + "\"}", null), 404, "alias-not-found", null);
        assertProblem(post("/api/v1/aliases", "{\"name\":\"mine\"}", "olga"), 403, "forbidden", null);
        assertProblem(get("/api/v1/aliases", "anonymous", false), 401, "sign-in-required", null);
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(store.base() + "/api/v1/aliases"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=csrf")).build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(form, 415, "unsupported-media-type", null);
        assertProblem(post("/api/v1/aliases", "{not json", null), 400, "malformed-json", null);
        assertProblem(post("/api/v1/aliases", "null", null), 400, "invalid-body", null);
        assertProblem(post("/api/v1/aliases", "{\"name\":\"a\\u0000b\"}", null), 422, "invalid-field", "name");
        // An alias that points nowhere answers 404 at its URL.
        assertThat(get("/instance/twice/", null, true).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/aliases", "anonymous", false).headers().firstValue("content-type"))
                .hasValue("application/problem+json");
    }

    @Test
    void concurrentPromotionsLeaveOnePrimary() throws Exception {
        String id = store.running(app, "alice", Visibility.PUBLIC, v1.address());
        List<String> names = List.of("race-a", "race-b", "race-c", "race-d");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> creates = new ArrayList<>();
            for (String name : names) {
                creates.add(pool.submit(() -> post("/api/v1/aliases",
                        "{\"name\":\"" + name + "\",\"instance\":\"" + id + "\",\"primary\":true}", null).statusCode()));
            }
            for (Future<Integer> f : creates) {
                assertThat(f.get()).isEqualTo(201);
            }
            List<Callable<Integer>> promotions = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String name : names) {
                    promotions.add(() -> put("/api/v1/aliases/" + name + "/primary", null, null).statusCode());
                }
            }
            for (Future<Integer> f : pool.invokeAll(promotions)) {
                assertThat(f.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode listed = JSON.readTree(get("/api/v1/aliases?instance=" + id, null, false).body());
        int primaries = 0;
        for (JsonNode alias : listed) {
            primaries += alias.get("primary").asBoolean() ? 1 : 0;
        }
        assertThat(primaries).isEqualTo(1);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code, String field) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:wavestore:problem:" + code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").asText()).isEqualTo(field);
        }
    }

    private static HttpRequest.Builder request(String path, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(store.url(path))).timeout(Duration.ofSeconds(30));
        return user == null ? builder : builder.header("X-Dev-User", user);
    }

    private static HttpResponse<String> get(String path, String user, boolean navigate) throws Exception {
        HttpRequest.Builder request = request(path, user);
        if (navigate) {
            request.header("Sec-Fetch-Mode", "navigate").header("Accept", "text/html,*/*");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String json, String user) throws Exception {
        return http.send(request(path, user).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String path, String json, String user) throws Exception {
        HttpRequest.Builder request = request(path, user);
        if (json == null) {
            request.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(String path, String user) throws Exception {
        return http.send(request(path, user).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }
}
