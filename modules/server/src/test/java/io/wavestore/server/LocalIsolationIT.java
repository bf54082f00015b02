package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.scheduler.InstanceCredentials;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile app on the embedded default (bubblewrap sandbox), next to another user's instance: it tries to read the
 * store's data directory and secret, the other instance's record, log and files, its own record, the launchers'
 * environment and memory through /proc, its own environment, and to mint credentials and post forged progress. Its log
 * must show each attempt blocked and nothing found, and the other instance must go on serving. The same probe run
 * unconfined finds the secret and the launchers' credentials, so the probe would tell if the sandbox let them through.
 */
@ExtendWith(PostgresExtension.class)
class LocalIsolationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @AutoClose
    private LocalTestStore store;

    @BeforeEach
    void start(TestDatabase database) throws Exception {
        store = LocalTestStore.start(dataDir, database, Map.of());
    }

    @Test
    void aHostileAppFindsNothingAndTheOtherInstanceGoesOnServing() throws Exception {
        StoreClient olga = store.client().as("olga", "full-user");
        StoreClient mallory = store.client().as("mallory", "full-user");
        assertThat(olga.upload("/api/v1/apps?visibility=PRIVATE", WaveBundleBuilder.app("victim", "1.0.0").bytes())
                .statusCode()).isEqualTo(201);
        String victim = start(olga, "victim");
        olga.awaitInstance(victim, i -> i.get("phase").asText().equals("RUNNING"), LocalInstancesIT.READY_WITHIN);
        Path victimDir = dataDir.resolve("instances").resolve(victim);
        String victimRecord = Files.readString(victimDir.resolve("record.json"));
        long victimLauncher = Long.parseLong(Files.readString(victimDir.resolve("launcher.pid")).trim());

        Map<String, Object> targets = Map.of("dataDir", dataDir.toString(), "victim", victim,
                "storeUrl", store.url().toString(), "launcherPids", List.of(victimLauncher));
        byte[] hostile = WaveBundleBuilder.app("hostile", "1.0.0")
                .file("app.py", """
                        import probe  # noqa: F401 (it probes as it is imported)
                        from h2o_wave import main, app, Q, ui

                        @app('/')
                        async def serve(q: Q):
                            q.page['hello'] = ui.markdown_card(box='1 1 3 2', title='Hello', content='Nothing to see')
                            await q.page.save()
                        """)
                .file("probe.py", probe())
                .file("targets.json", JSON.writeValueAsString(targets))
                .bytes();
        assertThat(mallory.upload("/api/v1/apps?visibility=PRIVATE", hostile).statusCode()).isEqualTo(201);
        String attacker = start(mallory, "hostile");
        mallory.awaitInstance(attacker, i -> i.get("phase").asText().equals("RUNNING"), LocalInstancesIT.READY_WITHIN);

        String log = Files.readString(dataDir.resolve("instances").resolve(attacker).resolve("launcher.log"));
        assertThat(log).as("the probe ran to its end").contains("HOSTILE DONE");
        assertThat(log).as("what the hostile app got").doesNotContain("HOSTILE FOUND");
        for (String attempt : List.of("secret", "data-dir", "instances", "victim-record", "victim-log", "victim-app",
                "own-record", "own-log", "victim-write", "environment", "launcher-mem-" + victimLauncher,
                "progress-without-credential-" + victim, "progress-with-minted-credential-" + victim,
                "progress-with-minted-credential-" + attacker, "bundle-with-minted-credential",
                "renewal-with-minted-credential")) {
            assertThat(log).as("attempted and blocked: " + attempt).contains("HOSTILE BLOCKED " + attempt + ":");
        }
        String secret = Files.readString(dataDir.resolve("instance-credential.secret")).trim();
        assertThat(log).as("the secret in the log").doesNotContain(secret);

        // The other instance: untouched, still ready, and served through the router.
        assertThat(victimDir.resolve("app").resolve("pwned")).doesNotExist();
        assertThat(Files.readString(victimDir.resolve("record.json"))).isEqualTo(victimRecord);
        assertThat(victimRecord).as("a record keeps no credential").doesNotContain("wsi1.");
        JsonNode victimNow = StoreClient.json(olga.get("/api/v1/instances/" + victim));
        assertThat(victimNow.get("phase").asText()).isEqualTo("RUNNING");
        assertThat(victimNow.get("progress").get("step").asText()).isEqualTo("READY");
        assertThat(olga.get("/instance/" + victim + "/").statusCode()).isEqualTo(200);

        // The same probe, unconfined on this machine, finds what the sandbox kept from it.
        String unconfined = runUnconfined(targets);
        assertThat(unconfined).contains("HOSTILE FOUND secret:", "HOSTILE FOUND victim-record:",
                "HOSTILE FOUND credential-in-proc:", "HOSTILE FOUND launcher-mem:");
    }

    @Test
    void aStartingReportAfterReadyDoesNotTakeTheInstanceOutOfServiceAndOnlyTheInstancesCredentialIsRenewed()
            throws Exception {
        StoreClient client = store.client();
        assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", WaveBundleBuilder.app("steady", "1.0.0").bytes())
                .statusCode()).isEqualTo(201);
        String id = start(client, "steady");
        client.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), LocalInstancesIT.READY_WITHIN);

        // A genuine credential of the instance (as its launcher has): the report is taken, and changes nothing.
        byte[] secret = Files.readString(dataDir.resolve("instance-credential.secret")).trim().getBytes(StandardCharsets.UTF_8);
        String token = new InstanceCredentials(secret, Duration.ofHours(1), Clock.systemUTC()).issue(id);
        for (String report : List.of(
                "{\"step\":\"STARTING_APP\",\"state\":\"running\",\"message\":\"again\",\"sequence\":99}",
                "{\"step\":\"DOWNLOADING_BUNDLE\",\"state\":\"running\",\"message\":\"again\",\"sequence\":1}")) {
            HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            store.url().resolve("/api/v1/instances/" + id + "/progress"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(report)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(204);
        }
        // The launcher's renewal: a fresh credential for this instance only, for the one it has, never without one.
        InstanceCredentials verifier = new InstanceCredentials(secret, Duration.ofHours(1), Clock.systemUTC());
        HttpResponse<String> renewed = renew(id, token);
        assertThat(renewed.statusCode()).as(renewed.body()).isEqualTo(200);
        String fresh = JSON.readTree(renewed.body()).get("token").asText();
        assertThat(verifier.verify(fresh, id)).contains(id);
        assertThat(StoreClient.json(renewed).get("expiresInSeconds").asLong()).isEqualTo(3600);
        assertThat(renew(id, "wsi1." + id + ".4102444800.forged").statusCode()).isEqualTo(401);
        assertThat(renew(id, null).statusCode()).isEqualTo(401);

        JsonNode after = StoreClient.json(client.get("/api/v1/instances/" + id));
        assertThat(after.get("phase").asText()).isEqualTo("RUNNING");
        assertThat(after.get("ready").asBoolean()).isTrue();
        assertThat(after.get("progress").get("step").asText()).isEqualTo("READY");
        assertThat(client.get("/instance/" + id + "/").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> renew(String id, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                store.url().resolve("/api/v1/instances/" + id + "/credential"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String start(StoreClient as, String app) throws Exception {
        HttpResponse<String> started = as.send("POST", "/api/v1/instances", "{\"app\":\"" + app + "\",\"version\":\"1.0.0\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        return StoreClient.json(started).get("id").asText();
    }

    private static String probe() throws IOException {
        try (InputStream in = LocalIsolationIT.class.getResourceAsStream("/hostile/probe.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String runUnconfined(Map<String, Object> targets) throws Exception {
        Path dir = Files.createTempDirectory(dataDir, "unconfined");
        Files.writeString(dir.resolve("probe.py"), probe());
        Files.writeString(dir.resolve("targets.json"), JSON.writeValueAsString(targets));
        Process process = new ProcessBuilder("python3", dir.resolve("probe.py").toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
