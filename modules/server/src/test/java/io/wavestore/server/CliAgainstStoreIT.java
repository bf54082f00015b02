package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.cli.ExitCodes;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code wavestore} command against a whole store on the embedded default (real PostgreSQL, local instances
 * started by the real launcher), with the development identity: deploy a folder, follow its log, suspend, resume,
 * terminate; a bad bundle and a caller who may not, each with a readable message and its exit code.
 */
@ExtendWith(PostgresExtension.class)
class CliAgainstStoreIT {

    static final Duration READY_WITHIN = Duration.ofMinutes(4);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    private Wavestore store;
    private CliRunner cli;
    private URI storeUrl;
    private final ExecutorService follower = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start(TestDatabase database) throws Exception {
        int port = TestStoreConfig.freePort();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, Map.of()));
        storeUrl = URI.create("http://127.0.0.1:" + port);
        cli = new CliRunner(storeUrl, work.resolve("config"));
    }

    @AfterEach
    void stop() throws Exception {
        follower.shutdownNow();
        if (store != null) {
            for (JsonNode instance : JSON.readTree(cli.run("instance", "list", "--json").out())) {
                cli.run("instance", "terminate", instance.get("id").asText());
            }
            store.close();
            LocalLaunchers.stopAll(dataDir);
        }
    }

    @Test
    void deployFollowSuspendResumeTerminate() throws Exception {
        Path app = tickingApp();

        CliRunner.Run deployed = cli.run("bundle", "deploy", app.toString(), "--visibility", "ALL_USERS");
        assertThat(deployed.code()).as(deployed.toString()).isZero();
        assertThat(deployed.err()).contains("packed cli-ticker 1.0.0: 2 files", "imported cli-ticker 1.0.0 (ALL_USERS)",
                "running: http://");
        assertThat(deployed.out()).containsPattern("phase +RUNNING").containsPattern("ready +yes");
        String id = deployed.out().lines().filter(l -> l.startsWith("id ")).findFirst().orElseThrow().substring(3).strip();

        // The list shows the phase the runtime's watch last saw, which may trail the instance's own view that deploy
        // waited for by the watch's interval (docs/api.md): the CI check saw STARTING once, a moment after RUNNING.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cli.run("instance", "list").out())
                .startsWith("ID ").contains(id).containsPattern("cli-ticker +1.0.0 +developer +RUNNING +yes"));

        // Follow the log while the app writes it; the follower sees lines written after it started.
        CliRunner.LiveOutput followed = new CliRunner.LiveOutput();
        Future<Integer> following = follower.submit(() -> cli.run(followed, new CliRunner.LiveOutput(), "",
                "instance", "logs", id, "-f", "--tail", "5"));
        await().atMost(Duration.ofSeconds(30)).until(() -> followed.toString().contains("tick 3"));
        String seen = followed.toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> followed.toString().length() > seen.length());
        following.cancel(true);

        CliRunner.Run suspended = cli.run("instance", "suspend", id);
        assertThat(suspended.code()).as(suspended.toString()).isZero();
        assertThat(suspended.out()).contains("(suspended)");
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.run("instance", "status", id).out().contains(": STOPPED"));

        CliRunner.Run resumed = cli.run("instance", "resume", id);
        assertThat(resumed.code()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).isEqualTo(id + ": RUNNING (ready)\n");

        CliRunner.Run terminated = cli.run("instance", "terminate", id);
        assertThat(terminated.code()).as(terminated.toString()).isZero();
        CliRunner.Run gone = cli.run("instance", "get", id);
        assertThat(gone.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).isEqualTo("error: no instance " + id + " [404 instance-not-found]\n");
    }

    @Test
    void anAppThatCannotStartEndsTheDeployWithExitCodeEightAndTheReason() throws Exception {
        Path app = pythonApp("cli-crasher", "main", "print('cannot start: DATABASE_URL is not set', flush=True)\nraise SystemExit(3)\n");
        CliRunner.Run deployed = cli.run("bundle", "deploy", app.toString());
        assertThat(deployed.code()).as(deployed.toString()).isEqualTo(ExitCodes.INSTANCE_FAILED);
        assertThat(deployed.err()).contains("failed to start").contains("`wavestore instance logs i-");
        String id = JSON.readTree(cli.run("instance", "list", "--json").out()).get(0).get("id").asText();
        assertThat(cli.run("instance", "status", id).code()).isEqualTo(ExitCodes.INSTANCE_FAILED);
        assertThat(cli.run("instance", "logs", id).out()).contains("cannot start: DATABASE_URL is not set");
    }

    @Test
    void aBadBundleIsRefusedFieldByFieldAndLeavesNothing() throws Exception {
        Path bad = WaveBundleBuilder.app("cli-bad", "1.0.0").manifest("""
                [App]
                Name = "Bad Name"
                Version = "1.0.0"
                Title = "x"
                Description = "x"
                [Runtime]
                Module = "app"
                MemoryReservation = "plenty"
                """).writeTo(work.resolve("bad.wave"));
        CliRunner.Run refused = cli.run("bundle", "import", bad.toString());
        assertThat(refused.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err()).startsWith("error: ").contains("[422 invalid-manifest]\n")
                .contains("\n  App.Name: ").contains("\n  Runtime.MemoryReservation: ");

        Path notAZip = Files.writeString(work.resolve("readme.wave"), "not a zip");
        CliRunner.Run notZip = cli.run("bundle", "deploy", notAZip.toString());
        assertThat(notZip.code()).isEqualTo(ExitCodes.INVALID);
        assertThat(notZip.err()).contains("[422 not-a-zip]");
        assertThat(cli.run("app", "list", "--json").out()).doesNotContain("cli-bad");
        assertThat(cli.run("instance", "list", "--json").out().strip()).isEqualTo("[ ]");

        CliRunner.Run noSuchLog = cli.run("instance", "logs", "-f", "i-nosuchinstance");
        assertThat(noSuchLog.code()).as(noSuchLog.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(noSuchLog.err()).contains("[404 instance-not-found]");
    }

    @Test
    void callersWhoMayNotAreToldWhyWithExitCodeFour() throws Exception {
        Path wave = WaveBundleBuilder.app("cli-private", "1.0.0").writeTo(work.resolve("ok.wave"));
        CliRunner.Run anonymous = cli.run("bundle", "import", wave.toString(), "--dev-user", "anonymous");
        assertThat(anonymous.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(anonymous.err()).contains("[401 sign-in-required]").contains("wavestore login");

        CliRunner.Run visitor = cli.run("bundle", "import", wave.toString(), "--dev-user", "vic", "--dev-role", "visitor");
        assertThat(visitor.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(visitor.err()).contains("[403 forbidden]");

        // A profile signed in as a development user is used by later commands.
        assertThat(cli.run("login", "--dev-user", "olga", "--dev-role", "full-user").code()).isZero();
        assertThat(cli.run("bundle", "import", wave.toString()).code()).isZero();
        CliRunner.Run mine = cli.run("app", "get", "cli-private");
        assertThat(mine.out()).containsPattern("owner +olga").containsPattern("visibility +PRIVATE");
        CliRunner.Run other = cli.run("app", "get", "cli-private", "1.0.0", "--dev-user", "pat", "--dev-role", "full-user");
        assertThat(other.code()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void catalogVerbsTagsAndAliasesAsAnAdmin() throws Exception {
        CliRunner.Run tag = cli.run("tag", "create", "cli-demo", "--title", "Demo", "--color", "#1f6feb");
        assertThat(tag.code()).as(tag.toString()).isZero();
        assertThat(tag.out()).containsPattern("cli-demo +Demo +#1f6feb");

        Path wave = WaveBundleBuilder.app("cli-catalog", "1.0.0").writeTo(work.resolve("catalog.wave"));
        assertThat(cli.run("bundle", "import", wave.toString()).code()).isZero();
        CliRunner.Run changed = cli.run("app", "update", "cli-catalog", "1.0.0", "--tag", "cli-demo", "--visibility", "PUBLIC");
        assertThat(changed.code()).as(changed.toString()).isZero();
        assertThat(changed.out()).containsPattern("tags +cli-demo").containsPattern("visibility +PUBLIC");
        assertThat(cli.run("app", "list", "--tag", "cli-demo").out()).containsPattern("cli-catalog +1.0.0 ");

        Path downloaded = work.resolve("downloaded.wave");
        assertThat(cli.run("app", "download", "cli-catalog", "-o", downloaded.toString()).code()).isZero();
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(Files.readAllBytes(wave));

        CliRunner.Run alias = cli.run("alias", "create", "cli-alias");
        assertThat(alias.code()).as(alias.toString()).isZero();
        assertThat(cli.run("alias", "list").out()).containsPattern("cli-alias +- +no");
        assertThat(cli.run("alias", "delete", "cli-alias").code()).isZero();
        assertThat(cli.run("alias", "get", "cli-alias").code()).isEqualTo(ExitCodes.NOT_FOUND);

        assertThat(cli.run("app", "delete", "cli-catalog", "1.0.0").code()).isZero();
        assertThat(cli.run("app", "get", "cli-catalog", "1.0.0").code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("tag", "delete", "cli-demo").code()).isZero();
    }

    @Test
    void aSecretMadeWithTheCliReachesTheAppThatRefersToItAndNoValueIsPrinted() throws Exception {
        String password = "pw-cli-9c1e5a";
        String changed = "pw-cli-changed-4d2f";
        CliRunner.Run created = cli.runWithInput("# from stdin\npassword=" + password + "\n", "secret", "create", "cli-db");
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.out()).containsPattern("name +cli-db").containsPattern("scope +PRIVATE")
                .containsPattern("keys +password");
        assertThat(cli.run("secret", "list").out()).startsWith("ID ").containsPattern("cli-db +PRIVATE +- +developer +password ");

        Path app = pythonApp("cli-secret-reader", "server", """
                import http.server, os

                class Show(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        body = os.environ.get("DB_PASSWORD", "-").encode()
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)

                http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Show).serve_forever()
                """);
        Files.writeString(app.resolve("app.toml"), "\n[[Env]]\nName = \"DB_PASSWORD\"\nSecret = \"cli-db\"\nSecretKey = \"password\"\n",
                java.nio.file.StandardOpenOption.APPEND);
        CliRunner.Run deployed = cli.run("bundle", "deploy", app.toString());
        assertThat(deployed.code()).as(deployed.toString()).isZero();
        String id = deployed.out().lines().filter(l -> l.startsWith("id ")).findFirst().orElseThrow().substring(3).strip();
        assertThat(new StoreClient(storeUrl).get("/instance/" + id + "/").body()).isEqualTo(password);

        Path newValue = Files.writeString(work.resolve("password.txt"), changed);
        CliRunner.Run updated = cli.run("secret", "update", "cli-db", "--from-file", "password=" + newValue);
        assertThat(updated.code()).as(updated.toString()).isZero();
        CliRunner.Run json = cli.run("secret", "get", "cli-db", "--json");
        assertThat(JSON.readTree(json.out()).get("keys").get(0).asText()).isEqualTo("password");

        // Refusals read as sentences with the problem's type: a visitor, and an app needing a secret that is not there.
        CliRunner.Run visitor = cli.run("secret", "list", "--dev-user", "vic", "--dev-role", "visitor");
        assertThat(visitor.code()).isEqualTo(ExitCodes.AUTH);
        assertThat(visitor.err()).startsWith("error: ").contains("[403 ");
        Path needy = pythonApp("cli-secret-needy", "main", "print('never runs')\n");
        Files.writeString(needy.resolve("app.toml"), "\n[[Env]]\nName = \"TOKEN\"\nSecret = \"cli-absent\"\n",
                java.nio.file.StandardOpenOption.APPEND);
        CliRunner.Run refused = cli.run("bundle", "deploy", needy.toString());
        assertThat(refused.code()).as(refused.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(refused.err()).contains("error: secret 'cli-absent' (key 'TOKEN', for env TOKEN) does not exist")
                .contains("[422 secret-unavailable]");
        CliRunner.Run noValues = cli.runWithInput("", "secret", "create", "cli-empty");
        assertThat(noValues.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noValues.err()).contains("no values");

        CliRunner.Run deleted = cli.run("secret", "delete", "cli-db");
        assertThat(deleted.code()).as(deleted.toString()).isZero();
        assertThat(cli.run("secret", "get", "cli-db").code()).isEqualTo(ExitCodes.NOT_FOUND);
        for (CliRunner.Run run : List.of(created, deployed, updated, json, visitor, refused, deleted)) {
            assertThat(run.out() + run.err()).doesNotContain(password, changed);
        }
    }

    /** A plain Python app that writes a numbered line to its log every half second. */
    private Path tickingApp() throws Exception {
        return pythonApp("cli-ticker", "server", """
                import http.server, os, threading, time

                def tick():
                    n = 0
                    while True:
                        n += 1
                        print("tick", n, flush=True)
                        time.sleep(0.5)

                class Hello(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200)
                        self.end_headers()
                        self.wfile.write(b"ticking")
                    def log_message(self, *args):
                        pass

                threading.Thread(target=tick, daemon=True).start()
                http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), Hello).serve_forever()
                """);
    }

    /** A folder of a plain Python app (AppMode python, on a free port) whose module {@code module} is {@code script}. */
    private Path pythonApp(String name, String module, String script) throws Exception {
        Path app = Files.createDirectories(work.resolve(name));
        Files.writeString(app.resolve("app.toml"), WaveBundleBuilder.appSection(name, "1.0.0") + """
                [Runtime]
                Module = "%s"
                AppMode = "python"
                Port = %d
                """.formatted(module, TestStoreConfig.freePort()));
        Files.writeString(app.resolve(module + ".py"), script);
        return app;
    }
}
