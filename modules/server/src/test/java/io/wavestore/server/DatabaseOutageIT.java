package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wavestore.testkit.PostgresServer;
import io.wavestore.testkit.WaveBundleBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database outage under load, for the embedded PostgreSQL (its postmaster killed with kill -9) and for an
 * external one (stopped, then started again): the store answers 503 database-unavailable quickly, never a 500 or
 * a hang, heals by itself without a restart, and loses nothing it confirmed. The time bounds are safety nets.
 */
class DatabaseOutageIT {

    /** The readiness check's timeout (2s, the default) plus a generous margin for a busy two-core machine. */
    private static final Duration QUICK = Duration.ofSeconds(2).plusSeconds(4);
    private static final String DATABASE_UNAVAILABLE = "urn:wavestore:problem:database-unavailable";

    @TempDir
    Path dataDir;

    @Test
    void embeddedPostgresKilledUnderLoadIsRestartedAndTheStoreHeals() throws Exception {
        try (Wavestore store = Wavestore.start(config(Map.of(
                "wavestore.database.embedded.watch-interval", "500ms",
                "wavestore.database.embedded.restart-backoff-min", "500ms")));
             CatalogLoad load = new CatalogLoad(apiBase(store), 3)) {
            awaitSuccesses(load, 0, 20);

            ProcessHandle postmaster = postmaster();
            long killedAt = System.nanoTime();
            postmaster.destroyForcibly();

            await("503 database-unavailable after the kill").atMost(Duration.ofSeconds(30))
                    .until(() -> load.since(killedAt).stream().anyMatch(DatabaseOutageIT::databaseUnavailable));
            long outageSeen = System.nanoTime();
            await("the store heals by itself").atMost(Duration.ofSeconds(90))
                    .until(() -> okWrites(load, outageSeen) >= 5);
            assertThat(postmaster().pid()).as("a new postmaster").isNotEqualTo(postmaster.pid());
            load.close();

            assertOutageAnsweredWell(load.since(killedAt));
            printHealedAfter("kill -9 of the embedded postmaster", load, killedAt);
            assertConfirmedTagsSurvived(store, load);
        }
    }

    @Test
    void externalPostgresStoppedAndStartedAgainIsReconnected() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, Object> settings = new HashMap<>();
            settings.put("wavestore.database.url", postgres.createDatabase());
            settings.put("wavestore.database.user", postgres.user());
            settings.put("wavestore.database.password", postgres.password());
            try (Wavestore store = Wavestore.start(config(settings));
                 CatalogLoad load = new CatalogLoad(apiBase(store), 3)) {
                URI management = URI.create("http://127.0.0.1:" + store.managementAddress().getPort());
                String token = createToken(store);
                awaitSuccesses(load, 0, 20);

                long stoppedAt = System.nanoTime();
                postgres.stop();
                await("503 database-unavailable while stopped").atMost(Duration.ofSeconds(30))
                        .until(() -> databaseUnavailableCount(load, stoppedAt) >= 5);

                // While it is away: sign-in by API token, an upload and readiness answer 503 too, quickly.
                assertQuick503(tokens(store, token), true);
                Path wave = WaveBundleBuilder.app("during-outage", "1.0.0").writeTo(dataDir.resolve("outage.wave"));
                assertQuick503(send(apiBase(store), "POST", "/api/v1/apps", wave), true);
                assertQuick503(send(management, "GET", "/ready", null), false);

                postgres.startAgain();
                long startedAt = System.nanoTime();
                await("the pool reconnects").atMost(Duration.ofSeconds(60))
                        .until(() -> okWrites(load, startedAt) >= 5);
                await("ready again").atMost(Duration.ofSeconds(30))
                        .until(() -> send(management, "GET", "/ready", null).response().statusCode() == 200);
                load.close();

                assertOutageAnsweredWell(load.since(stoppedAt));
                printHealedAfter("start of the external PostgreSQL", load, startedAt);
                assertConfirmedTagsSurvived(store, load);
                assertThat(tokens(store, token).response().statusCode())
                        .isEqualTo(200);
                // The upload refused during the outage left nothing: no row, no blob, no temporary file.
                assertThat(StoreClient.json(send(apiBase(store), "GET", "/api/v1/apps?name=during-outage", null)
                        .response()).get("total").asInt()).isZero();
                assertThat(countFiles(dataDir.resolve("blobs"))).isZero();
                assertThat(countFiles(dataDir.resolve("tmp"))).isZero();
            }
        }
    }

    @Test
    void sessionLookupsAnswer503WhileTheDatabaseIsAway() throws Exception {
        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        try (PostgresServer postgres = PostgresServer.start()) {
            Map<String, Object> settings = new HashMap<>();
            settings.put("wavestore.database.url", postgres.createDatabase());
            settings.put("wavestore.database.user", postgres.user());
            settings.put("wavestore.database.password", postgres.password());
            settings.put("wavestore.identity.mode", "oidc");
            settings.put("wavestore.identity.oidc.issuer", provider.issuerUrl("default").toString());
            settings.put("wavestore.identity.oidc.client-id", "wavestore");
            settings.put("wavestore.identity.oidc.client-secret", "client-secret-for-tests");
            try (Wavestore store = Wavestore.start(config(settings))) {
                String cookie = "wavestore_session=some-session-id";
                assertThat(me(store, cookie).response().statusCode()).isEqualTo(200);

                postgres.stop();
                // The session cookie is looked up in PostgreSQL, which is away: 503, not 500.
                assertQuick503(me(store, cookie), true);

                postgres.startAgain();
                await("sessions are looked up again").atMost(Duration.ofSeconds(60))
                        .until(() -> me(store, cookie).response().statusCode() == 200);
            }
        } finally {
            provider.shutdown();
        }
    }

    private Config config(Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("wavestore.data-dir", dataDir.toString());
        settings.put("wavestore.http.port", 0);
        settings.put("pekko.remote.artery.canonical.port", 0);
        settings.put("wavestore.management.port", 0);
        settings.put("wavestore.scheduler.runtime", "none");
        settings.putAll(overrides);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    private static URI apiBase(Wavestore store) {
        return URI.create("http://127.0.0.1:" + store.address().getPort());
    }

    private ProcessHandle postmaster() throws IOException {
        List<String> pidFile = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
        return ProcessHandle.of(Long.parseLong(pidFile.get(0).strip())).orElseThrow();
    }

    private static void awaitSuccesses(CatalogLoad load, long since, int count) {
        await("the load runs").atMost(Duration.ofSeconds(60))
                .until(() -> load.since(since).stream().filter(CatalogLoad.Outcome::ok).count() >= count);
    }

    private static long okWrites(CatalogLoad load, long since) {
        return load.since(since).stream().filter(o -> o.ok() && o.method().equals("POST")).count();
    }

    private static long databaseUnavailableCount(CatalogLoad load, long since) {
        return load.since(since).stream().filter(DatabaseOutageIT::databaseUnavailable).count();
    }

    private static boolean databaseUnavailable(CatalogLoad.Outcome outcome) {
        return outcome.status() == 503 && outcome.body().contains(DATABASE_UNAVAILABLE);
    }

    /**
     * Every answer from the outage on: a success, or a 503 problem with Retry-After; none a 500, none hung; and the
     * database-unavailable ones came quickly.
     */
    private static void assertOutageAnsweredWell(List<CatalogLoad.Outcome> outcomes) {
        List<CatalogLoad.Outcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
        assertThat(failed).as("answers during the outage").isNotEmpty().allSatisfy(o -> {
            assertThat(o.status()).as(o.toString()).isEqualTo(503);
            assertThat(o.body()).as(o.toString()).contains("\"status\":503");
            assertThat(o.retryAfter()).as(o.toString()).isNotNull();
        });
        List<CatalogLoad.Outcome> unavailable = failed.stream().filter(DatabaseOutageIT::databaseUnavailable).toList();
        assertThat(unavailable).isNotEmpty()
                .allSatisfy(o -> assertThat(o.took()).as(o.toString()).isLessThan(QUICK));
        Duration slowest = unavailable.stream().map(CatalogLoad.Outcome::took).max(Duration::compareTo).orElseThrow();
        System.out.printf("outage: %d answers, %d ok, %d x 503 database-unavailable (slowest %d ms), %d other 503%n",
                outcomes.size(), outcomes.size() - failed.size(), unavailable.size(), slowest.toMillis(),
                failed.size() - unavailable.size());
    }

    /** How long after {@code since} the first write that succeeded after the outage was answered. */
    private static void printHealedAfter(String event, CatalogLoad load, long since) {
        long lastFailure = load.since(since).stream().filter(o -> !o.ok()).mapToLong(CatalogLoad.Outcome::askedAt)
                .max().orElse(since);
        load.since(lastFailure).stream().filter(o -> o.ok() && o.method().equals("POST")).findFirst()
                .ifPresent(o -> System.out.printf("healed: a write succeeded %d ms after the %s%n",
                        Duration.ofNanos(o.askedAt() + o.took().toNanos() - since).toMillis(), event));
    }

    private static void assertConfirmedTagsSurvived(Wavestore store, CatalogLoad load) throws Exception {
        JsonNode tags = StoreClient.json(send(apiBase(store), "GET", "/api/v1/tags", null).response());
        List<String> stored = tags.findValuesAsText("name");
        assertThat(load.createdTags()).isNotEmpty();
        assertThat(stored).containsAll(load.createdTags());
    }

    private static void assertQuick503(Timed timed, boolean databaseUnavailable) {
        HttpResponse<String> response = timed.response();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(timed.took()).isLessThan(QUICK);
        if (databaseUnavailable) {
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.body()).contains(DATABASE_UNAVAILABLE);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
        }
    }

    private record Timed(HttpResponse<String> response, Duration took) {
    }

    /** {@code GET /api/v1/me} with a session cookie. */
    private static Timed me(Wavestore store, String cookie) throws Exception {
        return send(apiBase(store), "GET", "/api/v1/me", "Cookie", cookie, null);
    }

    /** {@code GET /api/v1/tokens}, signed in by an API token. */
    private static Timed tokens(Wavestore store, String token) throws Exception {
        return send(apiBase(store), "GET", "/api/v1/tokens", "Authorization", "Bearer " + token, null);
    }

    private static Timed send(URI base, String method, String path, Path zip) throws Exception {
        return send(base, method, path, null, null, zip);
    }

    /** One request, with one header if {@code header} is not null, and a zip body if {@code zip} is not null. */
    private static Timed send(URI base, String method, String path, String header, String value, Path zip)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(CatalogLoad.HANG);
        if (header != null) {
            request.header(header, value);
        }
        request.method(method, zip == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofFile(zip));
        if (zip != null) {
            request.header("Content-Type", "application/zip");
        }
        long started = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Timed(response, Duration.ofNanos(System.nanoTime() - started));
    }

    private static String createToken(Wavestore store) throws Exception {
        HttpResponse<String> created = new StoreClient(apiBase(store)).send("POST", "/api/v1/tokens", "{\"name\":\"outage\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return StoreClient.json(created).get("token").asText();
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
