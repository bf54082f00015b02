package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The activity history of a whole store (real HTTP, PostgreSQL, the local runtime): every action through the API
 * leaves exactly one event with the right actor, and the history is read, filtered, exported and refused as the issue
 * says.
 */
@ExtendWith(PostgresExtension.class)
class ActivityApiIT {

    @TempDir
    Path dataDir;

    private Wavestore store;
    private StoreClient admin;

    @BeforeEach
    void start(TestDatabase database) throws Exception {
        int port = TestStoreConfig.freePort();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, Map.of()));
        admin = new StoreClient(URI.create("http://127.0.0.1:" + port));
    }

    @AfterEach
    void stop() throws Exception {
        LocalLaunchers.terminateAllAndClose(store, admin, dataDir);
    }

    @Test
    void everyActionLeavesExactlyOneEventWithItsActor() throws Exception {
        // The database is the class's: only this test's events count.
        String since = java.time.Instant.now().minusSeconds(1).toString();
        StoreClient olga = admin.as("olga", "user");
        assertThat(olga.upload("/api/v1/apps?visibility=ALL_USERS", plainPython("quiet", "1.0.0")).statusCode()).isEqualTo(201);
        assertThat(olga.upload("/api/v1/apps?visibility=ALL_USERS", plainPython("quiet", "2.0.0")).statusCode()).isEqualTo(201);
        assertThat(admin.send("PATCH", "/api/v1/apps/quiet/2.0.0", "{\"visibility\":\"PUBLIC\"}").statusCode()).isEqualTo(200);

        HttpResponse<String> started = olga.send("POST", "/api/v1/instances", "{\"app\":\"quiet\",\"version\":\"1.0.0\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = StoreClient.json(started).get("id").asText();
        ok(olga.send("POST", "/api/v1/instances/" + id + "/suspend", null));
        ok(olga.send("POST", "/api/v1/instances/" + id + "/resume", null));
        ok(olga.send("PATCH", "/api/v1/instances/" + id, "{\"version\":\"2.0.0\"}"));
        ok(olga.send("PATCH", "/api/v1/instances/" + id, "{\"visibility\":\"ALL_USERS\"}"));
        assertThat(admin.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);

        assertThat(admin.send("POST", "/api/v1/tags", "{\"name\":\"finance\"}").statusCode()).isEqualTo(201);
        ok(admin.send("PATCH", "/api/v1/tags/finance", "{\"title\":\"Finance\"}"));
        assertThat(admin.send("DELETE", "/api/v1/tags/finance", null).statusCode()).isEqualTo(204);
        assertThat(admin.send("DELETE", "/api/v1/apps/quiet/1.0.0", null).statusCode()).isEqualTo(204);
        assertThat(admin.send("POST", "/api/v1/aliases", "{\"name\":\"books\"}").statusCode()).isEqualTo(201);
        assertThat(admin.send("DELETE", "/api/v1/aliases/books", null).statusCode()).isEqualTo(204);
        HttpResponse<String> token = olga.send("POST", "/api/v1/tokens", "{\"name\":\"script\"}");
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        String tokenId = StoreClient.json(token).get("id").asText();
        assertThat(olga.send("DELETE", "/api/v1/tokens/" + tokenId, null).statusCode()).isEqualTo(204);

        List<String> expected = List.of("APP_VERSION_UPLOADED:olga", "APP_VERSION_UPLOADED:olga",
                "APP_VERSION_CHANGED:developer", "INSTANCE_STARTED:olga", "INSTANCE_SUSPENDED:olga",
                "INSTANCE_RESUMED:olga", "INSTANCE_UPDATED:olga", "INSTANCE_VISIBILITY_CHANGED:olga",
                "INSTANCE_TERMINATED:developer", "TAG_CREATED:developer", "TAG_CHANGED:developer", "TAG_DELETED:developer",
                "APP_VERSION_DELETED:developer", "ALIAS_CREATED:developer", "ALIAS_DELETED:developer",
                "TOKEN_CREATED:olga", "TOKEN_REVOKED:olga");
        String mine = "/api/v1/activity?limit=500&since=" + since;
        await().atMost(Duration.ofSeconds(30)).until(() -> userEvents(admin.get(mine)).size() >= expected.size());
        List<String> events = userEvents(admin.get(mine));
        assertThat(events).containsExactlyInAnyOrderElementsOf(expected);

        JsonNode history = StoreClient.json(admin.get("/api/v1/activity?instance=" + id));
        List<String> instanceKinds = new ArrayList<>();
        history.get("items").forEach(e -> instanceKinds.add(e.get("kind").asText()));
        // Newest first: the instance's own page shows its history in this order.
        assertThat(instanceKinds).containsSubsequence("INSTANCE_TERMINATED", "INSTANCE_VISIBILITY_CHANGED",
                "INSTANCE_UPDATED", "INSTANCE_RESUMED", "INSTANCE_SUSPENDED", "INSTANCE_STARTED");
    }

    @Test
    void usersSeeTheirOwnVisitorsTheirInstancesAdminsExportAndBadInputIsAProblem() throws Exception {
        StoreClient rita = admin.as("rita", "user");
        assertThat(rita.upload("/api/v1/apps?visibility=PRIVATE", plainPython("hushed", "1.0.0")).statusCode()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/tags", "{\"name\":\"ops\"}").statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> StoreClient.json(admin.get("/api/v1/activity"))
                .get("total").asInt() >= 2);

        JsonNode mine = StoreClient.json(rita.get("/api/v1/activity"));
        assertThat(mine.get("total").asInt()).isEqualTo(1);
        assertThat(mine.get("items").get(0).get("kind").asText()).isEqualTo("APP_VERSION_UPLOADED");
        assertThat(StoreClient.json(admin.as("vic", "visitor").get("/api/v1/activity")).get("total").asInt()).isZero();
        assertThat(admin.as("anonymous", null).get("/api/v1/activity").statusCode()).isEqualTo(401);

        HttpResponse<String> csv = admin.get("/api/v1/activity.csv?app=hushed");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(csv.body().split("\r\n")).hasSize(2);
        assertThat(csv.body()).startsWith("at,kind,actor_type,actor").contains(",APP_VERSION_UPLOADED,USER,rita,");
        assertThat(rita.get("/api/v1/activity.csv").statusCode()).isEqualTo(403);

        HttpResponse<String> badSince = admin.get("/api/v1/activity?since=yesterday");
        assertThat(badSince.statusCode()).isEqualTo(400);
        assertThat(badSince.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(StoreClient.json(badSince).get("field").asText()).isEqualTo("since");
        assertThat(admin.get("/api/v1/usage?by=team").statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/v1/usage?since=2026-12-02&until=2026-12-01").statusCode()).isEqualTo(400);
        assertThat(StoreClient.json(admin.get("/api/v1/usage?by=app")).get("by").asText()).isEqualTo("app");
    }

    /** The events people caused, as kind:actor (what Kubernetes did on its own is left out). */
    private static List<String> userEvents(HttpResponse<String> response) throws Exception {
        return StreamSupport.stream(StoreClient.json(response).get("items").spliterator(), false)
                .filter(e -> e.get("actorType").asText().equals("USER"))
                .map(e -> e.get("kind").asText() + ":" + e.get("actor").asText())
                .toList();
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** A plain Python app that starts at once and needs nothing installed. */
    private static byte[] plainPython(String name, String version) throws Exception {
        return WaveBundleBuilder.empty()
                .manifest(WaveBundleBuilder.appSection(name, version) + """
                        [Runtime]
                        Module = "server"
                        AppMode = "python"
                        Port = 18999
                        """)
                .file("server.py", "import time\ntime.sleep(3600)\n")
                .bytes();
    }
}
