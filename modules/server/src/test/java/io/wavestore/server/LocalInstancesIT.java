package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import io.wavestore.testkit.WaveSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default end to end, with nothing faked: a store with the local runtime starts the real example
 * app (examples/hello-wave) through the real launcher, pip and waved; the instance goes through its progress steps
 * to ready, serves its page, suspends, resumes, survives a restart of the store, and terminates. A bundle whose
 * requirements cannot install ends as a failed instance with the reason, not as a spinner.
 */
@ExtendWith(PostgresExtension.class)
class LocalInstancesIT {

    static final Duration READY_WITHIN = Duration.ofMinutes(4);

    @TempDir
    Path dataDir;

    @AutoClose
    private LocalTestStore store;
    private StoreClient client;

    @BeforeEach
    void start(TestDatabase database) throws Exception { // the database is per class: each test uses its own app names
        store = LocalTestStore.start(dataDir, database, Map.of("wavestore.scheduler.limits.instances-per-visitor", 2));
        client = store.client();
    }

    @Test
    void theExampleAppRunsSuspendsResumesSurvivesARestartAndTerminates() throws Exception {
        String id = startExample("hello-wave");

        JsonNode ready = client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);
        assertThat(ready.get("ready").asBoolean()).isTrue();
        assertThat(ready.get("progress").get("step").asText()).isEqualTo("READY");
        assertThat(appPage(id)).contains("<title>"); // waved serves the app's page under the base URL

        JsonNode suspended = StoreClient.json(client.send("POST", "/api/v1/instances/" + id + "/suspend", null));
        assertThat(suspended.get("suspended").asBoolean()).isTrue();
        client.awaitInstance(id, i -> i.get("phase").asText().equals("STOPPED"), Duration.ofSeconds(30));

        assertThat(client.send("POST", "/api/v1/instances/" + id + "/resume", null).statusCode()).isEqualTo(200);
        client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);

        // A restart of the store rebuilds the instance from its record and adopts its running launcher.
        store.restart();
        JsonNode rebuilt = client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), Duration.ofSeconds(60));
        assertThat(rebuilt.get("appVersion").asText()).isEqualTo("0.1.0");
        assertThat(client.get("/api/v1/instances/" + id + "/logs?tail=50").body()).contains("[waved]");

        assertThat(client.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
        assertThat(client.get("/api/v1/instances/" + id).statusCode()).isEqualTo(404);
        assertThat(dataDir.resolve("instances").resolve(id)).doesNotExist();
    }

    @Test
    void thePackageExampleRunsItsModuleInAPackageWithRelativeImports() throws Exception {
        String id = startExample("package-wave");
        client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);

        // Through the router, as the page's socket: the app's own text comes from hello/greeting.py.
        URI apps = store.apps();
        WaveSocket socket = WaveSocket.open(HttpClient.newHttpClient(),
                "ws://" + apps.getAuthority() + "/instance/" + id + "/_s/", apps.toString(), "developer");
        socket.send("+ /instance/" + id + "/ ");
        socket.awaitContaining("Hello, world! Greetings from a package.");
        socket.send("@ /instance/" + id + "/ {\"greet\":true,\"who\":\"Ada\"}");
        socket.awaitContaining("Hello, Ada! Greetings from a package.");
    }

    @Test
    void aNewInstanceOfRequirementsInstalledBeforeCopiesItsEnvironmentAndStartsQuickly() throws Exception {
        // Its own app (the database is the class's); the same requirements in both instances.
        byte[] bundle = WaveBundleBuilder.app("twice", "1.0.0").bytes();
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", bundle).statusCode()).isEqualTo(201);
        String body = "{\"app\":\"twice\",\"version\":\"1.0.0\"}";
        String first = StoreClient.json(client.send("POST", "/api/v1/instances", body)).get("id").asText();
        client.awaitInstance(first, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);

        long start = System.nanoTime();
        String second = StoreClient.json(client.send("POST", "/api/v1/instances", body)).get("id").asText();
        client.awaitInstance(second, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("[LocalInstancesIT] a new instance of requirements installed before: start to RUNNING in "
                + took.toMillis() + " ms");
        assertThat(client.get("/api/v1/instances/" + second + "/logs?tail=200").body())
                .contains("Copying the virtual environment built before");
        // A safety limit only (a busy 2-core machine): loadtest/instance-start-time.md has the measured figures.
        assertThat(took).isLessThan(Duration.ofSeconds(90));
    }

    @Test
    void aRuntimeVersionWhosePythonThisMachineLacksIsRefusedNamingTheVersionsThereAre() throws Exception {
        byte[] bundle = WaveBundleBuilder.app("old-python", "1.0.0")
                .manifest(WaveBundleBuilder.appSection("old-python", "1.0.0") + """
                        [Runtime]
                        Module = "app"
                        RuntimeVersion = "deb9_py35_wlatest"
                        """)
                .bytes();
        assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", bundle).statusCode()).isEqualTo(201);
        HttpResponse<String> refused = client.send("POST", "/api/v1/instances",
                "{\"app\":\"old-python\",\"version\":\"1.0.0\"}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(502);
        assertThat(StoreClient.json(refused).get("detail").asText())
                .contains("RuntimeVersion deb9_py35_wlatest asks for Python 3.5")
                .containsPattern("it has .*3\\.11 \\(");
        assertThat(StoreClient.json(client.get("/api/v1/instances"))).isEmpty();
    }

    @Test
    void anAppWhoseRequirementsCannotInstallEndsFailedWithTheReason() throws Exception {
        byte[] bundle = WaveBundleBuilder.app("broken", "1.0.0")
                .file("requirements.txt", "h2o-wave\nthis-package-does-not-exist-wavestore==0.0.1\n")
                .bytes();
        assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", bundle).statusCode()).isEqualTo(201);
        HttpResponse<String> started = client.send("POST", "/api/v1/instances", "{\"app\":\"broken\",\"version\":\"1.0.0\"}");
        String id = StoreClient.json(started).get("id").asText();

        JsonNode failed = client.awaitInstance(id, i -> i.get("phase").asText().equals("FAILED"), READY_WITHIN);
        JsonNode progress = failed.get("progress");
        assertThat(progress.get("step").asText()).isEqualTo("INSTALLING_DEPENDENCIES");
        assertThat(progress.get("state").asText()).isEqualTo("failed");
        assertThat(progress.get("outputTail").toString()).contains("this-package-does-not-exist-wavestore");
        assertThat(progress.get("message").asText()).as("the reason names the package")
                .contains("package this-package-does-not-exist-wavestore");
    }

    @Test
    void aPythonAppRunsOnItsOwnPortAndAnswersThroughTheRouter() throws Exception {
        int appPort = TestStoreConfig.freePort();
        byte[] bundle = WaveBundleBuilder.empty()
                .manifest("""
                        [App]
                        Name = "plain-python"
                        Version = "1.0.0"
                        Title = "Plain Python"
                        Description = "An HTTP server in plain Python"

                        [Runtime]
                        Module = "server"
                        AppMode = "python"
                        Port = %d
                        """.formatted(appPort))
                .file("server.py", """
                        import http.server
                        import os

                        class Hello(http.server.BaseHTTPRequestHandler):
                            def do_GET(self):
                                body = ("hello from python at " + self.path).encode()
                                self.send_response(200)
                                self.send_header("Content-Type", "text/plain")
                                self.send_header("Content-Length", str(len(body)))
                                self.end_headers()
                                self.wfile.write(body)

                        # Where app.toml says it listens; the launcher says the same in PORT.
                        assert int(os.environ["PORT"]) == %d
                        http.server.HTTPServer(("127.0.0.1", %d), Hello).serve_forever()
                        """.formatted(appPort, appPort))
                .bytes();
        assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", bundle).statusCode()).isEqualTo(201);
        HttpResponse<String> started = client.send("POST", "/api/v1/instances", "{\"app\":\"plain-python\",\"version\":\"1.0.0\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = StoreClient.json(started).get("id").asText();

        JsonNode running = client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), READY_WITHIN);
        assertThat(running.get("ready").asBoolean()).isTrue();
        HttpResponse<String> page = client.get("/instance/" + id + "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).startsWith("hello from python at /instance/" + id + "/");
    }

    @Test
    void limitsAndLifecycleRulesAreEnforced() throws Exception {
        client.upload("/api/v1/apps?visibility=PUBLIC", WaveBundleBuilder.app("limited", "1.0.0").bytes());
        client.upload("/api/v1/apps?visibility=PUBLIC", WaveBundleBuilder.empty()
                .manifest("""
                        [App]
                        Name = "a-link"
                        Version = "1.0.0"
                        Title = "A link"
                        Description = "x"
                        InstanceLifecycle = "LINK"
                        [Link]
                        Address = "https://example.com"
                        """).bytes());
        StoreClient visitor = client.as("vic", "visitor");
        // Visitors may have 2 (configured below for this store); the third is refused with the limit's name.
        for (int i = 0; i < 2; i++) {
            assertThat(visitor.send("POST", "/api/v1/instances", "{\"app\":\"limited\",\"version\":\"1.0.0\"}").statusCode())
                    .isEqualTo(201);
        }
        HttpResponse<String> third = visitor.send("POST", "/api/v1/instances", "{\"app\":\"limited\",\"version\":\"1.0.0\"}");
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(StoreClient.json(third).get("field").asText()).isEqualTo("instances-per-visitor");

        HttpResponse<String> link = client.send("POST", "/api/v1/instances", "{\"app\":\"a-link\",\"version\":\"1.0.0\"}");
        assertThat(link.statusCode()).isEqualTo(422);
        assertThat(StoreClient.json(link).get("type").asText()).endsWith("link-app");

        // Others do not see the visitor's instances; an app version with instances cannot be deleted.
        assertThat(StoreClient.json(client.as("pat", "full-user").get("/api/v1/instances"))).isEmpty();
        HttpResponse<String> delete = client.send("DELETE", "/api/v1/apps/limited/1.0.0", null);
        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(StoreClient.json(delete).get("type").asText()).endsWith("app-in-use");
    }

    /** Packs examples/{@code name}, uploads it and starts an instance of its version 0.1.0; returns the id. */
    private String startExample(String name) throws Exception {
        Path wave = dataDir.resolve(name + ".wave");
        BundlePacker.pack(Path.of("../../examples", name).toAbsolutePath().normalize(), wave);
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", wave).statusCode()).isEqualTo(201);
        HttpResponse<String> started = client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.wavestore." + name + "\",\"version\":\"0.1.0\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return StoreClient.json(started).get("id").asText();
    }

    /** The app's page straight from the instance's port (the router comes in front of it separately). */
    private String appPage(String id) throws Exception {
        String record = Files.readString(dataDir.resolve("instances").resolve(id).resolve("record.json"));
        int instancePort = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record).get("port").asInt();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + instancePort + "/instance/" + id + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
