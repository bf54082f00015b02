package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.wavestore.scheduler.secrets.KubernetesSecretStore;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets on Kubernetes (a real control plane, kwok nodes: pods are simulated, so what is checked is what Kubernetes
 * holds): each store secret is a labelled Kubernetes Secret in the instances' namespace, one made by hand with the
 * store's labels is used like one made through the API, an instance's Deployment takes env and files from them, the
 * Helm release holds only their names, another user's PRIVATE secret is refused at start, and no value shows up in an
 * API answer, a log line or the release.
 */
@ExtendWith({PostgresExtension.class, KubernetesExtension.class})
class SecretsKubernetesIT {

    private static final String PASSWORD = "pw-k8s-4a1b2c-alice";
    private static final String TOKEN = "tok-k8s-9d8e7f-app";
    private static final String CREDS = "creds-k8s-by-hand-5e5e5e";

    @TempDir
    Path dataDir;

    private final List<String> answers = new ArrayList<>();
    private CapturedLogs logs;
    private Wavestore store;

    @AfterEach
    void stop() throws Exception {
        if (logs != null) {
            logs.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void secretsAreKubernetesSecretsThatInstancesReferToAndNoValueLeaks(TestDatabase database, TestNamespace namespace)
            throws Exception {
        logs = new CapturedLogs();
        store = Wavestore.start(TestStoreConfig.kubernetes(dataDir, database, namespace));
        StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + store.address().getPort()));
        StoreClient alice = client.as("alice", "full-user");
        StoreClient bob = client.as("bob", "full-user");
        HttpResponse<String> uploaded = alice.upload("/api/v1/apps?visibility=ALL_USERS", app());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);

        String db = created(alice, "{\"name\":\"db\",\"scope\":\"PRIVATE\",\"values\":{\"password\":\"" + PASSWORD + "\"}}");
        String api = created(alice, "{\"name\":\"api\",\"scope\":\"APP\",\"app\":\"k8s-secrets\",\"values\":{\"token\":\"" + TOKEN + "\"}}");
        // Made by hand, with the store's labels: the store sees it like its own.
        namespace.client().secrets().resource(new SecretBuilder().withNewMetadata().withName("shared-by-hand")
                .addToLabels(KubernetesSecretStore.MANAGED_BY_LABEL, KubernetesSecretStore.MANAGED_BY)
                .addToLabels(KubernetesSecretStore.SCOPE_LABEL, "ALL_USERS")
                .addToAnnotations(KubernetesSecretStore.NAME_ANNOTATION, "shared")
                .addToAnnotations(KubernetesSecretStore.OWNER_ANNOTATION, "ops").endMetadata()
                .addToStringData("creds.txt", CREDS).build()).create();

        Secret stored = namespace.client().secrets().withName(db).get();
        assertThat(stored.getMetadata().getLabels()).containsEntry(KubernetesSecretStore.MANAGED_BY_LABEL, "wavestore")
                .containsEntry(KubernetesSecretStore.SCOPE_LABEL, "PRIVATE");
        assertThat(stored.getMetadata().getAnnotations()).containsEntry(KubernetesSecretStore.NAME_ANNOTATION, "db")
                .containsEntry(KubernetesSecretStore.OWNER_ANNOTATION, "alice");
        assertThat(new String(Base64.getDecoder().decode(stored.getData().get("password")), StandardCharsets.UTF_8)).isEqualTo(PASSWORD);
        JsonNode byHand = null;
        HttpResponse<String> list = alice.get("/api/v1/secrets");
        answers.add(list.body());
        for (JsonNode secret : StoreClient.json(list)) {
            if (secret.get("id").asText().equals("shared-by-hand")) {
                byHand = secret;
            }
        }
        assertThat(byHand).as(list.body()).isNotNull();
        assertThat(byHand.get("name").asText()).isEqualTo("shared");
        assertThat(byHand.get("scope").asText()).isEqualTo("ALL_USERS");
        assertThat(byHand.get("keys").toString()).isEqualTo("[\"creds.txt\"]");

        HttpResponse<String> started = alice.send("POST", "/api/v1/instances", "{\"app\":\"k8s-secrets\",\"version\":\"1.0.0\"}");
        answers.add(started.body());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        String id = StoreClient.json(started).get("id").asText();
        alice.awaitInstance(id, i -> i.get("phase").asText().equals("RUNNING"), KubernetesInstancesIT.WITHIN);

        Deployment deployment = namespace.client().apps().deployments().withName(id).get();
        Container launcher = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        EnvVar password = launcher.getEnv().stream().filter(e -> e.getName().equals("DB_PASSWORD")).findFirst().orElseThrow();
        assertThat(password.getValue()).isNull();
        assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo(db);
        assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        assertThat(launcher.getEnv()).noneMatch(e -> e.getName().equals("NOT_THERE")); // optional and missing: left out
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("shared-by-hand"))
                .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo(api));
        assertThat(launcher.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/etc/app/creds.txt"));

        // Another user's instance of the same app would need Alice's PRIVATE secret: refused, naming secret and key.
        HttpResponse<String> refused = bob.send("POST", "/api/v1/instances", "{\"app\":\"k8s-secrets\",\"version\":\"1.0.0\"}");
        answers.add(refused.body());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(StoreClient.json(refused).get("detail").asText()).contains("secret 'db' (key 'password', for env DB_PASSWORD)")
                .contains("belongs to another user");

        // The release holds the Secrets' names, never their values: not in its values, not in its manifest.
        List<Secret> releases = namespace.client().secrets().withLabel("owner", "helm").withLabel("name", id).list().getItems();
        assertThat(releases).isNotEmpty();
        List<String> leaks = List.of(PASSWORD, TOKEN, CREDS);
        for (Secret release : releases) {
            String json = releaseJson(release);
            assertThat(json).contains(db).contains("shared-by-hand").doesNotContain(leaks);
        }
        for (StoreClient who : List.of(alice, bob, client.as("root", "admin"))) {
            answers.add(who.get("/api/v1/secrets").body());
            answers.add(who.get("/api/v1/secrets/" + db).body());
            answers.add(who.get("/api/v1/instances/" + id).body());
        }
        assertThat(String.join("\n", answers)).doesNotContain(leaks);
        assertThat(logs.lines()).isNotEmpty().allSatisfy(line -> assertThat(line).doesNotContain(leaks));

        assertThat(alice.send("DELETE", "/api/v1/instances/" + id, null).statusCode()).isEqualTo(204);
        assertThat(alice.send("DELETE", "/api/v1/secrets/" + db, null).statusCode()).isEqualTo(204);
        assertThat(namespace.client().secrets().withName(db).get()).isNull();
    }

    private String created(StoreClient who, String body) throws Exception {
        HttpResponse<String> response = who.send("POST", "/api/v1/secrets", body);
        answers.add(response.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return StoreClient.json(response).get("id").asText();
    }

    /** The whole release as Helm stores it (its values, its manifest): base64 in the API, base64 and gzip within. */
    private static String releaseJson(Secret release) throws Exception {
        byte[] stored = Base64.getDecoder().decode(Base64.getDecoder().decode(release.getData().get("release")));
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stored))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] app() throws Exception {
        String name = "k8s-secrets";
        return WaveBundleBuilder.app(name, "1.0.0").manifest(WaveBundleBuilder.appSection(name, "1.0.0") + """
                [Runtime]
                Module = "app"

                [[Env]]
                Name = "DB_PASSWORD"
                Secret = "db"
                SecretKey = "password"

                [[Env]]
                Name = "NOT_THERE"
                Secret = "absent"
                Optional = true

                [[File]]
                Path = "/etc/app/creds.txt"
                Secret = "shared"

                [[File]]
                Path = "conf/token.txt"
                Secret = "api"
                SecretKey = "token"
                """).bytes();
    }
}
