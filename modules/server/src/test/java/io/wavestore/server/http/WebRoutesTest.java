package io.wavestore.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web UI's files as the build put them on the class path (target/classes/web), served over real HTTP: index.html
 * for the UI's pages with no-cache and the Content-Security-Policy, hashed assets cached for good, and nothing of
 * /api, /auth or the router's /instance taken over.
 */
class WebRoutesTest {

    static ActorSystem<Void> system;
    static ServerBinding binding;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "web-routes-test",
                com.typesafe.config.ConfigFactory.parseString("pekko.actor.provider = local"));
        // What stands behind the UI in the store: anything else answers "other".
        Route others = new AllDirectives() {
            Route route() {
                return complete("other");
            }
        }.route();
        Route routes = new AllDirectives() {
            Route route() {
                return concat(new WebRoutes().routes(), others);
            }
        }.route();
        binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(routes).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theUiPagesAnswerIndexHtmlRevalidatedAndLockedToTheStore() throws Exception {
        for (String path : new String[] {"/", "/apps/io.wavestore.hello-wave/0.1.0", "/instances", "/instances/i-abc",
                "/upload", "/admin/tags", "/activity"}) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
            assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("script-src 'self'").contains("object-src 'none'").doesNotContain("unsafe");
            assertThat(page.body()).contains("<main id=\"main\"").contains("/assets/");
        }
    }

    @Test
    void hashedAssetsAreCachedForAYearWithTheirContentTypes() throws Exception {
        String index = get("/").body();
        String script = index.replaceAll("(?s).*src=\"(/assets/[^\"]+\\.js)\".*", "$1");
        String style = index.replaceAll("(?s).*href=\"(/assets/[^\"]+\\.css)\".*", "$1");
        HttpResponse<String> js = get(script);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/javascript");
        assertThat(js.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(get(style).headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        // A missing asset is missing, not the page (a browser would otherwise run HTML as a script).
        assertThat(get("/assets/index-missing.js").body()).isEqualTo("other");
    }

    @Test
    void theApiSignInAndTheRouterKeepTheirPaths() throws Exception {
        for (String path : new String[] {"/api/v1/nothing", "/api", "/auth/login", "/instance/i-abc/", "/metrics", "/apps2"}) {
            assertThat(get(path).body()).as(path).isEqualTo("other");
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyIndexAndTheHashedAssetsAreUnchangingWhileTheStoreRuns() {
        assertThat(java.util.List.of("/", "/assets/index-Dl7MtXkj.js", "/assets/index-x_1.css"))
                .allMatch(WebRoutes::unchangingWhileRunning);
        assertThat(java.util.List.of("/apps", "/apps/x", "/api/v1/me", "/assets/", "/assets/../x", "/assets/.hidden",
                "/assets/a/b.js", "/assets/a.js?v=1", "/assets/a%2Fb.js", "/instance/x/", "/assets/" + "a".repeat(200)))
                .noneMatch(WebRoutes::unchangingWhileRunning);
    }
}
