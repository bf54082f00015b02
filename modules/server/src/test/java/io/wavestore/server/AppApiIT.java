package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.client.Problem;
import io.wavestore.client.TransferListener;
import io.wavestore.client.WavestoreClient;
import io.wavestore.client.WavestoreProblemException;
import io.wavestore.client.model.AppQuery;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app API of a whole running store (real HTTP, real PostgreSQL, filesystem blobs), as curl or the UI uses
 * it: uploads, listings, downloads, and every refusal as problem+json that leaves nothing behind.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppApiIT {

    static final long UPLOAD_LIMIT = 2 * 1024 * 1024;

    @TempDir
    static Path dataDir;

    static Wavestore store;
    static StoreClient client;
    static WavestoreClient api;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        // Free ports for everything it binds (HTTP, cluster, management): a store running here must not fail it.
        store = Wavestore.start(TestStoreConfig.withoutInstances(dataDir, database,
                Map.of("wavestore.upload.max-bytes", UPLOAD_LIMIT)));
        client = new StoreClient(URI.create("http://127.0.0.1:" + store.address().getPort()));
        api = WavestoreClient.builder(URI.create("http://127.0.0.1:" + store.address().getPort())).build();
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        store.close();
    }

    @Test
    @Order(1)
    void uploadListAndDownload() throws Exception {
        Path wave = WaveBundleBuilder.app("hello", "1.0.0").writeTo(dataDir.resolve("hello.wave"));
        HttpResponse<String> created = client.upload("/api/v1/apps?visibility=PUBLIC", wave);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/apps/hello/1.0.0");
        JsonNode app = StoreClient.json(created);
        assertThat(app.get("owner").asText()).isEqualTo("developer");
        assertThat(app.get("visibility").asText()).isEqualTo("PUBLIC");
        assertThat(app.get("iconUrl").asText()).isEqualTo("/api/v1/apps/hello/1.0.0/icon");
        assertThat(app.get("manifest").get("runtime").get("module").asText()).isEqualTo("app");

        JsonNode page = StoreClient.json(client.get("/api/v1/apps"));
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.get("items").get(0).get("iconUrl").asText()).isEqualTo("/api/v1/apps/hello/1.0.0/icon");

        HttpResponse<byte[]> icon = client.as("anonymous", null).getBytes("/api/v1/apps/hello/1.0.0/icon");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(icon.body()).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(client.getBytes("/api/v1/apps/hello/1.0.0/screenshots/1").statusCode()).isEqualTo(200);
        assertProblem(client.get("/api/v1/apps/hello/1.0.0/screenshots/7"), 404, "image-not-found");

        HttpResponse<byte[]> bundle = client.getBytes("/api/v1/apps/hello/1.0.0/bundle");
        assertThat(bundle.body()).isEqualTo(Files.readAllBytes(wave));
        assertThat(bundle.headers().firstValue("Content-Disposition")).get().asString().contains("hello-1.0.0.wave");
    }

    @Test
    @Order(2)
    void hostileBundlesAnswer422WithTheirErrorAndLeaveNothing() throws Exception {
        // Through the typed client: each refusal is a WavestoreProblemException with the problem's code and fields.
        long blobsBefore = countFiles(dataDir.resolve("blobs"));
        Path traversal = WaveBundleBuilder.app("evil", "1.0.0").file("../escape.py", "x").writeTo(dataDir.resolve("t.wave"));
        assertThat(refusal(() -> api.upload(traversal, null, TransferListener.NONE)).code()).isEqualTo("entry-escapes-root");

        Path invalid = WaveBundleBuilder.app("evil", "1.0.0").manifest("""
                [App]
                Name = "UPPER"
                Version = ""
                Title = "x"
                Description = "x"
                [Runtime]
                Module = "app"
                MemoryLimit = "lots"
                """).writeTo(dataDir.resolve("i.wave"));
        WavestoreProblemException problem = refusal(() -> api.upload(invalid, null, TransferListener.NONE));
        assertThat(problem.status()).isEqualTo(422);
        assertThat(problem.code()).isEqualTo("invalid-manifest");
        assertThat(problem.errors()).extracting(Problem.FieldError::field).contains("App.Name", "App.Version", "Runtime.MemoryLimit");

        Path notAZip = Files.writeString(dataDir.resolve("n.wave"), "not a zip");
        assertThat(refusal(() -> api.upload(notAZip, null, TransferListener.NONE)).code()).isEqualTo("not-a-zip");
        Path empty = Files.write(dataDir.resolve("e.wave"), new byte[0]);
        assertThat(refusal(() -> api.upload(empty, null, TransferListener.NONE)).code()).isEqualTo("not-a-zip");

        assertThat(api.apps(AppQuery.all().withName("evil")).total()).isZero();
        assertThat(countFiles(dataDir.resolve("blobs"))).isEqualTo(blobsBefore);
        assertThat(countFiles(dataDir.resolve("tmp"))).as("uploads and extractions removed").isZero();
    }

    @Test
    @Order(2)
    void aModuleTheBundleLacksIsRefusedWithItsFieldAndNothingStored() throws Exception {
        long blobsBefore = countFiles(dataDir.resolve("blobs"));
        String manifest = """
                [App]
                Name = "pkg-app"
                Version = "1.0.0"
                [Runtime]
                Module = "hello.app"
                """;
        HttpResponse<String> missing = client.upload("/api/v1/apps", WaveBundleBuilder.app("pkg-app", "1.0.0")
                .manifest(manifest).file("hello/__init__.py", "").bytes());
        JsonNode problem = assertProblem(missing, 422, "invalid-manifest");
        assertThat(problem.get("field").asText()).isEqualTo("Runtime.Module");
        assertThat(problem.get("detail").asText()).contains("hello/app.py", "hello/app/__init__.py");
        assertThat(StoreClient.json(client.get("/api/v1/apps?name=pkg-app")).get("total").asInt()).isZero();
        assertThat(countFiles(dataDir.resolve("blobs"))).isEqualTo(blobsBefore);
        assertThat(countFiles(dataDir.resolve("tmp"))).isZero();

        HttpResponse<String> inPackage = client.upload("/api/v1/apps", WaveBundleBuilder.app("pkg-app", "1.0.0")
                .manifest(manifest).file("hello/__init__.py", "").file("hello/app.py", "from . import x\n").bytes());
        assertThat(inPackage.statusCode()).as(inPackage.body()).isEqualTo(201);
        assertThat(client.send("DELETE", "/api/v1/apps/pkg-app/1.0.0", null).statusCode()).isEqualTo(204);
    }

    @Test
    @Order(3)
    void uploadsOverTheLimitAnswer413WhileStreaming() throws Exception {
        Path big = WaveBundleBuilder.app("big", "1.0.0").file("data.bin", randomBytes(3 * 1024 * 1024))
                .writeTo(dataDir.resolve("big.wave"));
        WavestoreProblemException tooLarge = refusal(() -> api.upload(big, null, TransferListener.NONE));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.code()).isEqualTo("payload-too-large");
        assertThat(countFiles(dataDir.resolve("tmp"))).isZero();
    }

    private static WavestoreProblemException refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(thrown).isInstanceOf(WavestoreProblemException.class);
        return (WavestoreProblemException) thrown;
    }

    @Test
    @Order(4)
    void whoMayUploadAndSee() throws Exception {
        byte[] bundle = WaveBundleBuilder.app("secret", "1.0.0").bytes();
        assertProblem(client.as("anonymous", null).upload("/api/v1/apps", bundle), 401, "sign-in-required");
        assertProblem(client.as("vic", "visitor").upload("/api/v1/apps", bundle), 403, "forbidden");
        assertThat(client.as("olga", "full-user").upload("/api/v1/apps?visibility=PRIVATE", bundle).statusCode()).isEqualTo(201);

        assertProblem(client.as("pat", "full-user").get("/api/v1/apps/secret/1.0.0"), 404, "app-not-found");
        assertThat(client.as("olga", "full-user").get("/api/v1/apps/secret/1.0.0").statusCode()).isEqualTo(200);
        assertThat(itemField(StoreClient.json(client.as("anonymous", null).get("/api/v1/apps")), "name"))
                .containsExactly("hello");
        assertProblem(client.as("pat", "full-user").send("PATCH", "/api/v1/apps/hello/1.0.0", "{\"visibility\":\"PRIVATE\"}"),
                403, "forbidden");
        assertProblem(client.as("bad user!", null).get("/api/v1/apps"), 400, "invalid-header");
    }

    @Test
    @Order(5)
    void badParametersAndBodiesAreProblems() throws Exception {
        assertThat(assertProblem(client.get("/api/v1/apps?visibility=SECRET"), 400, "invalid-parameter").get("field").asText())
                .isEqualTo("visibility");
        assertThat(assertProblem(client.get("/api/v1/apps?limit=0"), 400, "invalid-parameter").get("field").asText())
                .isEqualTo("limit");
        assertProblem(client.send("PATCH", "/api/v1/apps/hello/1.0.0", "{not json"), 400, "malformed-json");
        assertProblem(client.send("PATCH", "/api/v1/apps/hello/1.0.0", "null"), 400, "invalid-body");
        assertThat(assertProblem(client.send("PATCH", "/api/v1/apps/hello/1.0.0", "{\"colour\":\"red\"}"), 422,
                "invalid-field").get("field").asText()).isEqualTo("colour");
        assertProblem(client.send("PATCH", "/api/v1/apps/hello/1.0.0", "{\"tags\":[\"nope\"]}"), 422, "invalid-field");
        assertProblem(client.get("/api/v1/nothing-here"), 404, "not-found");
        assertProblem(client.send("PUT", "/api/v1/apps", null), 405, "method-not-allowed");
    }

    @Test
    @Order(6)
    void tagsAndPaging() throws Exception {
        assertProblem(client.as("olga", "full-user").send("POST", "/api/v1/tags", "{\"name\":\"ml\"}"), 403, "forbidden");
        HttpResponse<String> tag = client.send("POST", "/api/v1/tags",
                "{\"name\":\"ml\",\"title\":\"Machine learning\",\"color\":\"#1f6feb\",\"visitorRoles\":[\"partner\"]}");
        assertThat(tag.statusCode()).as(tag.body()).isEqualTo(201);
        assertProblem(client.send("POST", "/api/v1/tags", "{\"name\":\"ml\"}"), 409, "tag-exists");
        assertProblem(client.send("POST", "/api/v1/tags", "{\"name\":\"x\",\"color\":\"blue\"}"), 422, "invalid-field");

        JsonNode tagged = StoreClient.json(client.send("PATCH", "/api/v1/apps/hello/1.0.0", "{\"tags\":[\"ml\"]}"));
        assertThat(tagged.get("tags").get(0).asText()).isEqualTo("ml");
        assertThat(StoreClient.json(client.get("/api/v1/apps?tag=ml")).get("total").asInt()).isEqualTo(1);

        for (String v : new String[] {"1.1.0", "1.2.0"}) {
            client.upload("/api/v1/apps?visibility=PUBLIC", WaveBundleBuilder.app("hello", v).bytes());
        }
        JsonNode first = StoreClient.json(client.get("/api/v1/apps?name=hello&limit=2"));
        assertThat(first.get("total").asInt()).isEqualTo(3);
        assertThat(first.get("next").asText()).contains("offset=2");
        JsonNode latest = StoreClient.json(client.get("/api/v1/apps?latest=true&q=hello"));
        assertThat(itemField(latest, "version")).containsExactly("1.2.0");

        assertThat(client.send("DELETE", "/api/v1/tags/ml", null).statusCode()).isEqualTo(204);
        assertThat(client.send("DELETE", "/api/v1/apps/hello/1.1.0", null).statusCode()).isEqualTo(204);
        assertProblem(client.get("/api/v1/apps/hello/1.1.0"), 404, "app-not-found");
    }

    @Test
    @Order(7)
    void meAndTheOpenApiDocument() throws Exception {
        JsonNode me = StoreClient.json(client.get("/api/v1/me"));
        assertThat(me.get("id").asText()).isEqualTo("developer");
        assertThat(me.get("development").asBoolean()).isTrue();

        assertProblem(client.get("/api/v1/instances"), 503, "instances-unavailable");

        HttpResponse<String> spec = client.get("/api/v1/openapi.yaml");
        assertThat(spec.statusCode()).isEqualTo(200);
        JsonNode paths = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(spec.body()).get("paths");
        // Every documented path exists: asking it with GET never gets the "no such route" problem.
        paths.fieldNames().forEachRemaining(path -> {
            String concrete = path.replace("{name}", "hello").replace("{version}", "1.0.0").replace("{index}", "0")
                    .replace("{tag}", "ml").replace("{id}", "i-none");
            try {
                JsonNode body = StoreClient.json(client.get(concrete + (concrete.endsWith(".yaml") ? "" : "")));
                assertThat(body.path("type").asText()).as(path).isNotEqualTo("urn:wavestore:problem:not-found");
            } catch (com.fasterxml.jackson.core.JsonProcessingException binary) {
                // images, bundles and YAML are not JSON: they exist
            } catch (Exception e) {
                throw new AssertionError(path, e);
            }
        });
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = StoreClient.json(response);
        assertThat(problem.get("type").asText()).isEqualTo("urn:wavestore:problem:" + code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    /** One top-level field of every item of a page. */
    private static java.util.List<String> itemField(JsonNode page, String field) {
        java.util.List<String> values = new java.util.ArrayList<>();
        page.get("items").forEach(item -> values.add(item.get(field).asText()));
        return values;
    }

    private static long countFiles(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(42).nextBytes(bytes);
        return bytes;
    }
}
