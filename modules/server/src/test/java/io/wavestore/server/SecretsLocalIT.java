package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets on the embedded default, with nothing faked: the real launcher starts a python app that shows what it got
 * as env and files from a PRIVATE, an APP and an ALL_USERS secret; another user's PRIVATE secret and another app's
 * APP secret are refused at start, naming the secret and the key; a changed secret reaches the instance at its next
 * start; and no value shows up in any API answer, log line, instance record or secret file.
 */
@ExtendWith(PostgresExtension.class)
class SecretsLocalIT {

    private static final String PASSWORD = "pw-3f9a1c-alice-only";
    private static final String TOKEN = "tok-77b2e0-for-the-app";
    private static final String CREDS = "creds-c0ffee-for-everyone";
    private static final String NEW_PASSWORD = "pw-5d6e7f-changed";

    @TempDir
    Path dataDir;

    private final List<String> answers = new ArrayList<>();
    private CapturedLogs logs;
    private Wavestore store;
    private StoreClient alice;
    private StoreClient bob;
    private StoreClient admin;

    @BeforeEach
    void start(TestDatabase database) throws Exception {
        logs = new CapturedLogs();
        int port = TestStoreConfig.freePort();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, Map.of()));
        StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + port));
        alice = client.as("alice", "full-user");
        bob = client.as("bob", "full-user");
        admin = client.as("root", "admin");
    }

    @AfterEach
    void stop() throws Exception {
        if (logs != null) {
            logs.close();
        }
        if (store != null) {
            LocalLaunchers.terminateAllAndClose(store, admin, dataDir);
        }
    }

    @Test
    void anAppReadsItsSecretsOthersAreRefusedAndNoValueLeaks() throws Exception {
        int appPort = TestStoreConfig.freePort();
        assertThat(alice.upload("/api/v1/apps?visibility=ALL_USERS", readerApp(appPort)).statusCode()).isEqualTo(201);

        String db = created(alice, "{\"name\":\"db\",\"scope\":\"PRIVATE\",\"values\":{\"password\":\"" + PASSWORD + "\"}}");
        created(alice, "{\"name\":\"api\",\"scope\":\"APP\",\"app\":\"secret-reader\",\"values\":{\"token\":\"" + TOKEN + "\"}}");
        created(admin, "{\"name\":\"shared\",\"scope\":\"ALL_USERS\",\"values\":{\"creds.txt\":\"" + CREDS + "\"}}");
        // Who may make which: only an app's owner binds a secret to it, only admins make one for all users.
        assertThat(problem(bob, "POST", "/api/v1/secrets",
                "{\"name\":\"api\",\"scope\":\"APP\",\"app\":\"secret-reader\",\"values\":{\"token\":\"x\"}}", 403)).isNotNull();
        assertThat(problem(bob, "POST", "/api/v1/secrets", "{\"name\":\"x\",\"scope\":\"ALL_USERS\",\"values\":{\"k\":\"v\"}}", 403))
                .isNotNull();
        assertThat(problem(alice, "POST", "/api/v1/secrets", "{\"name\":\"db\",\"scope\":\"PRIVATE\",\"values\":{\"k\":\"v\"}}", 409)
                .get("type").asText()).endsWith("secret-exists");
        assertThat(problem(alice, "POST", "/api/v1/secrets", "{\"name\":\"bad name\",\"scope\":\"PRIVATE\",\"values\":{\"k\":\"v\"}}",
                422).get("field").asText()).isEqualTo("name");
        assertThat(problem(alice.as("vic", "visitor"), "GET", "/api/v1/secrets", null, 403)).isNotNull();
        // Bob sees the one for all users and not Alice's own ones; Alice sees hers and the shared one.
        assertThat(names(bob)).containsExactly("shared");
        assertThat(names(alice)).containsExactly("api", "db", "shared");
        assertThat(problem(bob, "GET", "/api/v1/secrets/" + db, null, 404)).isNotNull();

        String id = started(alice, "secret-reader");
        alice.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), LocalInstancesIT.READY_WITHIN);
        assertThat(page(alice, id)).isEqualTo("DB_PASSWORD=" + PASSWORD + "\nAPI_TOKEN=" + TOKEN + "\nNOT_THERE=-\ncreds="
                + CREDS + "\n");

        // Bob's instance of the same app would need Alice's PRIVATE secret: refused, naming secret and key.
        JsonNode refused = problem(bob, "POST", "/api/v1/instances", "{\"app\":\"secret-reader\",\"version\":\"1.0.0\"}", 422);
        assertThat(refused.get("type").asText()).endsWith("secret-unavailable");
        assertThat(refused.get("detail").asText()).contains("secret 'db' (key 'password', for env DB_PASSWORD)")
                .contains("belongs to another user");
        // Another app of Alice's may not use the APP secret of secret-reader.
        uploadNeeding(alice, "other-app", "PRIVATE", "API_TOKEN", "api", "token");
        JsonNode otherApp = problem(alice, "POST", "/api/v1/instances", "{\"app\":\"other-app\",\"version\":\"1.0.0\"}", 422);
        assertThat(otherApp.get("detail").asText()).contains("secret 'api' (key 'token', for env API_TOKEN)")
                .contains("bound to the app 'secret-reader', not 'other-app'");

        // A changed secret reaches the instance at its next start.
        HttpResponse<String> replaced = alice.send("PUT", "/api/v1/secrets/" + db, "{\"values\":{\"password\":\"" + NEW_PASSWORD + "\"}}");
        answers.add(replaced.body());
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(alice.send("POST", "/api/v1/instances/" + id + "/suspend", null).statusCode()).isEqualTo(200);
        alice.awaitInstance(id, i -> i.get("phase").asText().equals("STOPPED"), java.time.Duration.ofSeconds(30));
        assertThat(alice.send("POST", "/api/v1/instances/" + id + "/resume", null).statusCode()).isEqualTo(200);
        alice.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), LocalInstancesIT.READY_WITHIN);
        assertThat(page(alice, id)).startsWith("DB_PASSWORD=" + NEW_PASSWORD + "\n");

        // Values never leave: not in an API answer, a log line of the store or the launcher, the record, a file.
        for (StoreClient who : List.of(alice, bob, admin)) {
            answers.add(who.get("/api/v1/secrets").body());
            answers.add(who.get("/api/v1/instances").body());
            answers.add(who.get("/api/v1/instances/" + id).body());
            answers.add(who.get("/api/v1/secrets/" + db).body());
        }
        answers.add(alice.get("/api/v1/instances/" + id + "/logs?tail=500").body());
        List<String> leaks = List.of(PASSWORD, NEW_PASSWORD, TOKEN, CREDS);
        assertThat(String.join("\n", answers)).doesNotContain(leaks);
        assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(leaks));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dataDir.resolve("instances")
                    .resolve(id).resolve("app"))).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(leaks);
            }
        }
    }

    @Test
    void aVisitorsInstanceIsRefusedAnAllUsersSecretAndAFullUsersGetsIt() throws Exception {
        created(admin, "{\"name\":\"shared\",\"scope\":\"ALL_USERS\",\"values\":{\"creds\":\"" + CREDS + "\"}}");
        uploadNeeding(alice, "shared-user", "PUBLIC", "CREDS", "shared", "creds");

        JsonNode refused = problem(alice.as("vic", "visitor"), "POST", "/api/v1/instances",
                "{\"app\":\"shared-user\",\"version\":\"1.0.0\"}", 422);
        assertThat(refused.get("type").asText()).endsWith("secret-unavailable");
        assertThat(refused.get("detail").asText()).contains("secret 'shared' (key 'creds', for env CREDS)")
                .contains("serves full users' instances");
        String bobs = started(bob, "shared-user");
        assertThat(StoreClient.json(bob.get("/api/v1/instances/" + bobs)).get("id").asText()).isEqualTo(bobs);
        assertThat(String.join("\n", answers)).doesNotContain(CREDS);
    }

    @Test
    void badInputIsRefusedWithAProblemNamingTheFieldAndLeavesNoSecretBehind() throws Exception {
        assertThat(alice.upload("/api/v1/apps?visibility=PRIVATE", WaveBundleBuilder.app("mine", "1.0.0").bytes()).statusCode())
                .isEqualTo(201);
        String[][] refused = {
                {"{\"scope\":\"PRIVATE\",\"values\":{\"k\":\"v\"}}", "name"},
                {"{\"name\":\"a\",\"values\":{\"k\":\"v\"}}", "scope"},
                {"{\"name\":\"a\",\"scope\":\"EVERYONE\",\"values\":{\"k\":\"v\"}}", "scope"},
                {"{\"name\":\"a\",\"scope\":\"PRIVATE\",\"values\":{}}", "values"},
                {"{\"name\":\"a\",\"scope\":\"PRIVATE\",\"values\":{\"no spaces\":\"v\"}}", "values"},
                {"{\"name\":\"a\",\"scope\":\"PRIVATE\",\"values\":{\"k\":null}}", "values"},
                {"{\"name\":\"a\",\"scope\":\"APP\",\"values\":{\"k\":\"v\"}}", "app"},
                {"{\"name\":\"a\",\"scope\":\"APP\",\"app\":\"no-such-app\",\"values\":{\"k\":\"v\"}}", "app"},
                {"{\"name\":\"a\",\"scope\":\"PRIVATE\",\"app\":\"mine\",\"values\":{\"k\":\"v\"}}", "app"},
        };
        for (String[] bad : refused) {
            assertThat(problem(alice, "POST", "/api/v1/secrets", bad[0], 422).get("field").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        assertThat(problem(alice, "POST", "/api/v1/secrets", "{\"name\":\"a\",\"scope\":\"PRIVATE\",\"values\":{\"k\":\""
                + "x".repeat(600 * 1024) + "\"}}", 413).get("field").asText()).isEqualTo("values");
        assertThat(problem(alice, "POST", "/api/v1/secrets", "{\"name\":", 400)).isNotNull();
        assertThat(StoreClient.json(admin.get("/api/v1/secrets"))).isEmpty();
        try (Stream<Path> files = Files.list(dataDir.resolve("secrets"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("store.key");
        }

        String id = created(alice, "{\"name\":\"a\",\"scope\":\"APP\",\"app\":\"mine\",\"values\":{\"k\":\"v\"}}");
        assertThat(problem(alice, "PUT", "/api/v1/secrets/" + id, "{\"scope\":\"PRIVATE\",\"values\":{\"k\":\"w\"}}", 422)
                .get("field").asText()).isEqualTo("scope");
        assertThat(problem(alice, "PUT", "/api/v1/secrets/" + id, "{\"name\":\"b\",\"values\":{\"k\":\"w\"}}", 422)
                .get("field").asText()).isEqualTo("name");
        assertThat(problem(bob, "PUT", "/api/v1/secrets/" + id, "{\"values\":{\"k\":\"w\"}}", 404)).isNotNull();
        assertThat(problem(bob, "DELETE", "/api/v1/secrets/" + id, null, 404)).isNotNull();
        assertThat(problem(alice.as("anonymous", null), "GET", "/api/v1/secrets", null, 401)).isNotNull();
        assertThat(problem(alice, "GET", "/api/v1/secrets/..%2Fstore", null, 404)).isNotNull();
        assertThat(alice.send("DELETE", "/api/v1/secrets/" + id, null).statusCode()).isEqualTo(204);
    }

    private static byte[] readerApp(int port) throws Exception {
        return WaveBundleBuilder.empty().manifest(WaveBundleBuilder.appSection("secret-reader", "1.0.0") + """
                [Runtime]
                Module = "server"
                AppMode = "python"
                Port = %d

                [[Env]]
                Name = "DB_PASSWORD"
                Secret = "db"
                SecretKey = "password"

                [[Env]]
                Name = "API_TOKEN"
                Secret = "api"
                SecretKey = "token"

                [[Env]]
                Name = "NOT_THERE"
                Secret = "absent"
                Optional = true

                [[File]]
                Path = "conf/creds.txt"
                Secret = "shared"
                """.formatted(port))
                .file("server.py", """
                        import http.server
                        import os

                        HERE = os.path.dirname(os.path.abspath(__file__))

                        class Show(http.server.BaseHTTPRequestHandler):
                            def do_GET(self):
                                with open(os.path.join(HERE, "conf", "creds.txt")) as f:
                                    creds = f.read()
                                body = "".join(name + "=" + os.environ.get(name, "-") + "\\n"
                                               for name in ("DB_PASSWORD", "API_TOKEN", "NOT_THERE"))
                                body = (body + "creds=" + creds + "\\n").encode()
                                self.send_response(200)
                                self.send_header("Content-Type", "text/plain")
                                self.send_header("Content-Length", str(len(body)))
                                self.end_headers()
                                self.wfile.write(body)

                        http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Show).serve_forever()
                        """)
                .bytes();
    }

    /** Uploads an app whose only reference is the env var {@code env} from the secret's key. */
    private void uploadNeeding(StoreClient who, String app, String visibility, String env, String secret, String key)
            throws Exception {
        HttpResponse<String> upload = who.upload("/api/v1/apps?visibility=" + visibility, WaveBundleBuilder.app(app, "1.0.0")
                .manifest(WaveBundleBuilder.appSection(app, "1.0.0") + """
                        [Runtime]
                        Module = "app"

                        [[Env]]
                        Name = "%s"
                        Secret = "%s"
                        SecretKey = "%s"
                        """.formatted(env, secret, key)).bytes());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
    }

    private String created(StoreClient who, String body) throws Exception {
        HttpResponse<String> response = who.send("POST", "/api/v1/secrets", body);
        answers.add(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).isPresent();
        return StoreClient.json(response).get("id").asText();
    }

    private String started(StoreClient who, String app) throws Exception {
        HttpResponse<String> response = who.send("POST", "/api/v1/instances", "{\"app\":\"" + app + "\",\"version\":\"1.0.0\"}");
        answers.add(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return StoreClient.json(response).get("id").asText();
    }

    private JsonNode problem(StoreClient who, String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = method.equals("GET") ? who.get(path) : who.send(method, path, body);
        answers.add(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        return StoreClient.json(response);
    }

    private List<String> names(StoreClient who) throws Exception {
        HttpResponse<String> response = who.get("/api/v1/secrets");
        answers.add(response.body());
        List<String> names = new ArrayList<>();
        StoreClient.json(response).forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    private String page(StoreClient who, String id) throws Exception {
        HttpResponse<String> response = who.get("/instance/" + id + "/");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
