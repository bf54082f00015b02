package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.InstanceView;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle suspension and wake on visit through the real data plane, route cache and instance actors (issue 19), with a
 * runtime that brings a resumed instance back half a second later: requests keep an instance from suspending, a
 * silent one suspends itself after its timeout, and the requests that find it suspended wake it once and are answered.
 */
@ExtendWith(PostgresExtension.class)
class WakeOnVisitIT {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path dataDir;

    @AutoClose
    static RouterFixture store;
    @AutoClose
    static PlainBackend backend;
    static AppLookup.AppRuntime app;
    static HttpClient http;

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        store = RouterFixture.start(database, dataDir, Map.of(
                "wavestore.scheduler.idle.default-timeout", IDLE_TIMEOUT.toMillis() + "ms",
                "wavestore.scheduler.idle.check-interval", "200ms",
                "wavestore.router.idle.report-interval", "200ms"));
        backend = new PlainBackend("a");
        app = store.apps.add("sleepy", "1.0.0", "alice", RoutingMode.BASE_URL);
        http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Test
    void anInstanceInUseStaysUpAndSuspendsItselfOnceNobodyUsesIt() throws Exception {
        String id = store.running(app, "developer", Visibility.PUBLIC, backend.address());
        long until = System.nanoTime() + IDLE_TIMEOUT.multipliedBy(2).toNanos();
        while (System.nanoTime() < until) {
            assertThat(get(id, "application/json").statusCode()).as("used past its timeout").isEqualTo(200);
        }
        assertThat(store.view(id).record().orElseThrow().suspended()).isFalse();

        InstanceView idle = store.awaitView(id, v -> v.record().orElseThrow().suspended());
        assertThat(idle.suspendedReason()).contains(InstanceView.IDLE);
        store.send(id, InstanceActor.Terminate::new);
    }

    @Test
    void twentyRequestsAtOnceWakeItOnceAndAreAllAnswered() throws Exception {
        String id = suspended();
        int before = store.runtime.resumes.get();
        List<CompletableFuture<HttpResponse<String>>> asked = IntStream.range(0, 20)
                .mapToObj(i -> http.sendAsync(wakeRequest(id), HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (CompletableFuture<HttpResponse<String>> answer : asked) {
            HttpResponse<String> response = answer.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).startsWith("hello from a");
        }
        assertThat(store.runtime.resumes.get() - before).as("resumes").isEqualTo(1);
        store.send(id, InstanceActor.Terminate::new);
    }

    @Test
    void aBrowserGetsTheWaitingPageAndThenTheApp() throws Exception {
        String id = suspended();
        HttpResponse<String> first = get(id, "text/html");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).contains("Starting the app");
        assertThat(store.view(id).record().orElseThrow().suspended()).as("woken by the visit").isFalse();
        InstanceView up = store.awaitView(id, v -> v.health().ready());
        assertThat(up.record().orElseThrow().suspended()).isFalse();
        HttpResponse<String> again = get(id, "text/html");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).startsWith("hello from a");
        store.send(id, InstanceActor.Terminate::new);
    }

    @Test
    void aPagesSocketAndFetchesAreToldToRetryAndDoNotWakeIt() throws Exception {
        String id = suspended();
        int before = store.runtime.resumes.get();
        HttpResponse<String> fetch = http.send(HttpRequest.newBuilder(URI.create(store.apps() + "/instance/" + id + "/page"))
                .header("Accept", "*/*").header("Sec-Fetch-Mode", "cors").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(fetch.statusCode()).isEqualTo(503);
        assertThat(fetch.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> api = get(id, "application/json");
        assertThat(api.statusCode()).as("an API call that does not ask to wake it").isEqualTo(503);
        assertThat(api.headers().firstValue("Retry-After")).isPresent();
        java.util.concurrent.CompletionException upgrade = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> http.newWebSocketBuilder().buildAsync(URI.create(store.apps().replaceFirst("^http", "ws")
                        + "/instance/" + id + "/_s/"), new java.net.http.WebSocket.Listener() { }).join(),
                java.util.concurrent.CompletionException.class);
        assertThat(upgrade.getCause()).isInstanceOf(java.net.http.WebSocketHandshakeException.class);
        assertThat(((java.net.http.WebSocketHandshakeException) upgrade.getCause()).getResponse().statusCode())
                .isEqualTo(503);
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> store.view(id).record().orElseThrow().suspended());
        assertThat(store.runtime.resumes.get() - before).as("resumes").isZero();
        store.send(id, InstanceActor.Terminate::new);
    }

    @Test
    void aVisitorWakesOnlyTheNewestInstanceOfAManagedAppAndItsOwnerAnyOfThem() throws Exception {
        AppLookup.AppRuntime kiosk = store.apps.add("kiosk", "1.0.0", "alice", RoutingMode.BASE_URL,
                io.wavestore.bundle.InstanceLifecycle.MANAGED);
        String older = suspended(store.running(kiosk, "alice", Visibility.PUBLIC, backend.address()));
        java.time.Instant olderCreated = store.view(older).record().orElseThrow().createdAt();
        // Creation times have whole seconds: the newer one is created in a later second.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> java.time.Instant.now().isAfter(olderCreated.plusSeconds(1)));
        String newer = suspended(store.running(kiosk, "alice", Visibility.PUBLIC, backend.address()));
        assertThat(store.view(newer).record().orElseThrow().createdAt())
                .isAfter(store.view(older).record().orElseThrow().createdAt());

        HttpResponse<String> visitOfTheOlder = getAs(older, "bob");
        assertThat(visitOfTheOlder.statusCode()).isEqualTo(503);
        assertThat(visitOfTheOlder.body()).contains("suspended");
        assertThat(store.view(older).record().orElseThrow().suspended()).as("an older instance stays asleep").isTrue();

        assertThat(getAs(newer, "bob").body()).contains("Starting the app");
        assertThat(store.view(newer).record().orElseThrow().suspended()).as("woken by a visitor").isFalse();

        assertThat(getAs(older, "alice").body()).contains("Starting the app");
        assertThat(store.view(older).record().orElseThrow().suspended()).as("woken by its owner").isFalse();
        store.send(older, InstanceActor.Terminate::new);
        store.send(newer, InstanceActor.Terminate::new);
    }

    /** A browser's page as {@code user}, a full user of the development identity. */
    private static HttpResponse<String> getAs(String id, String user) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(store.apps() + "/instance/" + id + "/page"))
                .header("Accept", "text/html").header("X-Dev-User", user).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String suspended(String id) throws Exception {
        assertThat(store.send(id, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
        return id;
    }

    private String suspended() throws Exception {
        String id = store.running(app, "developer", Visibility.PUBLIC, backend.address());
        assertThat(store.send(id, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
        return id;
    }

    private static HttpRequest request(String id, String accept) {
        return HttpRequest.newBuilder(URI.create(store.apps() + "/instance/" + id + "/page"))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).build();
    }

    /** An API-style request that asks to wake the instance (WakeRequests). */
    private static HttpRequest wakeRequest(String id) {
        return HttpRequest.newBuilder(URI.create(store.apps() + "/instance/" + id + "/page"))
                .header("Accept", "application/json").header("Wavestore-Wake", "1")
                .timeout(Duration.ofSeconds(30)).build();
    }

    private static HttpResponse<String> get(String id, String accept) throws Exception {
        return http.send(request(id, accept), HttpResponse.BodyHandlers.ofString());
    }
}
