package io.wavestore.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.client.Problem;
import io.wavestore.client.model.Alias;
import io.wavestore.client.model.ApiToken;
import io.wavestore.client.model.App;
import io.wavestore.client.model.AppPage;
import io.wavestore.client.model.Caller;
import io.wavestore.client.model.Instance;
import io.wavestore.client.model.Secret;
import io.wavestore.client.model.SecretScope;
import io.wavestore.client.model.Tag;
import io.wavestore.client.model.Visibility;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tables people read, compared with the golden files in src/test/resources/golden. A change of layout shows as a
 * diff of these files; {@code -Dgolden.update=true} rewrites them from the current output, to be reviewed.
 */
class GoldenTablesTest {

    static final Instant CREATED = Instant.parse("2026-12-07T00:30:15Z");

    static App app(String name, String version, String title, Visibility visibility, List<String> tags) {
        return new App("7f1c7a4e-0000-4000-8000-000000000001", name, version, title, "An app", null, "olga", visibility,
                "ON_DEMAND", tags, CREATED, "/api/v1/apps/" + name + "/" + version, null, List.of(),
                new App.Bundle("/api/v1/apps/" + name + "/" + version + "/bundle", "ab12cd", 48213), null);
    }

    static Instance instance(String id, String phase, boolean ready, boolean suspended, Instance.Progress progress) {
        return new Instance(id, "http://apps.localhost:8080/instance/" + id + "/", "io.wavestore.hello-wave", "0.1.0",
                "app-id", "olga", Visibility.PRIVATE, suspended, CREATED, phase, ready, 0, null, null, null, List.of(),
                "DEPLOYED", null, null, progress);
    }

    @Test
    void appList() throws IOException {
        AppPage page = new AppPage(List.of(
                app("io.wavestore.hello-wave", "0.1.0", "Hello Wave", Visibility.ALL_USERS, List.of("demo", "wave")),
                app("sales-dashboard", "2.10.1", "Sales dashboard", Visibility.PRIVATE, List.of())), 3, 2, 0, "/api/v1/apps?offset=2");
        assertGolden("app-list.txt", Views.apps(page));
    }

    @Test
    void appDetail() throws IOException {
        assertGolden("app-get.txt", Views.app(app("io.wavestore.hello-wave", "0.1.0", "Hello Wave", Visibility.PUBLIC,
                List.of("demo"))));
    }

    @Test
    void instanceListDetailAndStatus() throws IOException {
        Instance.Progress installing = new Instance.Progress("INSTALLING_DEPENDENCIES", "running", "pip install -r requirements.txt",
                List.of(), 3, CREATED);
        Instance starting = instance("i-4k2x9", "STARTING", false, false, installing);
        Instance running = instance("i-7bq1m", "RUNNING", true, false,
                new Instance.Progress("READY", "done", null, List.of(), 7, CREATED));
        Instance suspended = instance("i-0zz3p", "STOPPED", false, true, null);
        assertGolden("instance-list.txt", Views.instances(List.of(starting, running, suspended)));
        assertGolden("instance-get.txt", Views.instance(starting));
        assertGolden("instance-status.txt", String.join("\n", Views.status(starting), Views.status(running),
                Views.status(suspended)) + "\n");
    }

    @Test
    void tagsAliasesTokensAndCaller() throws IOException {
        assertGolden("tag-list.txt", Views.tags(List.of(
                new Tag("demo", "Demo", "#1f6feb", "Apps to show", List.of("partner"), CREATED, "/api/v1/tags/demo"),
                new Tag("finance", "Finance", "#d29922", null, List.of(), CREATED, "/api/v1/tags/finance"))));
        assertGolden("alias-list.txt", Views.aliases(List.of(
                new Alias("sales", "i-7bq1m", true, "http://apps.localhost:8080/instance/sales/", "admin", CREATED, CREATED),
                new Alias("spare", null, false, null, "admin", CREATED, CREATED))));
        assertGolden("token-list.txt", Views.tokens(List.of(
                new ApiToken("0f9b6a55-5d8c-4f2e-9a51-3c1d2e4f5a6b", "laptop", "wst_Ab3", CREATED, null, null, null),
                new ApiToken("1a2b3c4d-5d8c-4f2e-9a51-3c1d2e4f5a6b", "ci", "wst_Zq9", CREATED, CREATED.plusSeconds(3600),
                        Instant.parse("2027-01-31T00:00:00Z"), null))));
        List<Secret> secrets = List.of(
                new Secret("5b0e6f1a-0000-4000-8000-000000000001", "db", SecretScope.PRIVATE, "olga", null,
                        List.of("password", "user"), CREATED, CREATED.plusSeconds(3600), "/api/v1/secrets/5b0e6f1a"),
                new Secret("5b0e6f1a-0000-4000-8000-000000000002", "api", SecretScope.APP, "olga", "io.wavestore.hello-wave",
                        List.of("token"), CREATED, CREATED, "/api/v1/secrets/5b0e6f1b"),
                new Secret("5b0e6f1a-0000-4000-8000-000000000003", "shared", SecretScope.ALL_USERS, "root", null,
                        List.of(), CREATED, CREATED, "/api/v1/secrets/5b0e6f1c"));
        assertGolden("secret-list.txt", Views.secrets(secrets));
        assertGolden("secret-get.txt", Views.secret(secrets.get(1)));
        assertGolden("whoami.txt", Views.caller(new Caller("olga", "Olga", "FULL_USER", true, List.of(), List.of(), false,
                "bearer")));
    }

    @Test
    void problemsAsPeopleReadThem() throws IOException {
        Problem invalid = new Problem("urn:wavestore:problem:invalid-manifest", "Invalid app.toml", 422,
                "app.toml has 2 problems:\n  App.Name: must be lowercase\n  Runtime.MemoryLimit: 'lots' is not a quantity",
                null, List.of(new Problem.FieldError("App.Name", "must be lowercase"),
                        new Problem.FieldError("Runtime.MemoryLimit", "'lots' is not a quantity")));
        Problem limit = new Problem("urn:wavestore:problem:limit-reached", "Limit reached", 429,
                "you have 2 instances, the most a visitor may have", "instances-per-visitor", null);
        Problem signIn = new Problem("urn:wavestore:problem:sign-in-required", "Sign-in required", 401, null, null, null);
        Problem proxy = new Problem("about:blank", "Bad Gateway", 502, "<h1>down</h1>", null, null);
        assertGolden("problems.txt", ProblemMessages.describe(invalid) + ProblemMessages.describe(limit)
                + ProblemMessages.describe(signIn) + ProblemMessages.describe(proxy));
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("golden/" + name).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
