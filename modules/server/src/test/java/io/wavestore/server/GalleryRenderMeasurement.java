package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, not tests: how long the gallery takes to show 500 apps in headless Chromium, next to a plain
 * server-rendered HTML page of the same 500 cards (the same markup and stylesheet, no script). Opt-in, since it
 * seeds 500 apps; loadtest/web-ui-gallery.md has the numbers and the command. Nothing here asserts a time.
 */
@ExtendWith(PostgresExtension.class)
@EnabledIfSystemProperty(named = "wavestore.measure", matches = "gallery")
class GalleryRenderMeasurement {

    static final int APPS = 500;
    static final int RUNS = 7;
    static final String[] TAGS = {"analytics", "finance", "ml", "ops", "demo"};
    static final String[] COLORS = {"#8250df", "#d1242f", "#1a7f37", "#0969da", "#bf8700"};

    @TempDir
    Path dataDir;

    @Test
    void measure(TestDatabase database) throws Exception {
        int port = TestStoreConfig.freePort();
        try (Wavestore store = Wavestore.start(TestStoreConfig.local(dataDir, port, database,
                Map.of("wavestore.scheduler.runtime", "none")))) {
            StoreClient client = new StoreClient(URI.create("http://127.0.0.1:" + port));
            seed(client);
            String baseline = serverRenderedList(client, port);
            HttpServer plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            plain.createContext("/", exchange -> {
                byte[] body = baseline.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            plain.start();
            StringBuilder report = new StringBuilder("| run | UI: cards in page | UI: painted | UI: of which fetching"
                    + " | UI: first contentful paint | plain: DOMContentLoaded | plain: first contentful paint | plain: load |\n"
                    + "|---|---|---|---|---|---|---|---|\n");
            try (UiBrowser ui = new UiBrowser(port)) {
                for (int run = 1; run <= RUNS; run++) {
                    ui.open("/");
                    ui.until(d -> ui.script("return performance.getEntriesByName('gallery-painted').length") instanceof Long n
                            && n > 0 ? true : null, Duration.ofSeconds(30), "the gallery painted");
                    assertThat(ui.all(".card")).hasSize(APPS);
                    double rendered = mark(ui, "gallery-rendered");
                    double painted = mark(ui, "gallery-painted");
                    double fetched = mark(ui, "gallery-fetched") - navigationValue(ui, "responseEnd");
                    double uiFcp = paint(ui);
                    ui.driver().get("http://127.0.0.1:" + plain.getAddress().getPort() + "/");
                    assertThat(ui.all(".card")).hasSize(APPS);
                    double dcl = navigationValue(ui, "domContentLoadedEventEnd");
                    double plainFcp = paint(ui);
                    double load = navigationValue(ui, "loadEventEnd");
                    report.append("| %d | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f |\n".formatted(run, rendered, painted,
                            fetched, uiFcp, dcl, plainFcp, load));
                }
            } finally {
                plain.stop(0);
            }
            Path out = Path.of("target", "web-ui-gallery-measurement.md");
            Files.writeString(out, report);
            System.out.println("gallery measurement (ms since navigation start):\n" + report);
        }
    }

    private static void seed(StoreClient client) throws Exception {
        for (int t = 0; t < TAGS.length; t++) {
            client.send("POST", "/api/v1/tags", "{\"name\":\"%s\",\"color\":\"%s\"}".formatted(TAGS[t], COLORS[t]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<java.net.http.HttpResponse<String>>> uploads = new ArrayList<>();
            for (int n = 0; n < APPS; n++) {
                String name = "io.load.app-%03d".formatted(n);
                String first = TAGS[n % TAGS.length];
                String second = TAGS[(n / TAGS.length) % TAGS.length];
                String tags = first.equals(second) ? "\"" + first + "\"" : "\"%s\", \"%s\"".formatted(first, second);
                byte[] bundle = WaveBundleBuilder.app(name, "1.0.0").manifest("""
                        [App]
                        Name = "%s"
                        Version = "1.0.0"
                        Title = "Load app %d"
                        Description = "One of %d apps that fill the gallery for the measurement of its rendering"
                        Tags = [%s]

                        [Runtime]
                        Module = "app"
                        """.formatted(name, n, APPS, tags)).bytes();
                uploads.add(pool.submit(() -> client.upload("/api/v1/apps?visibility=ALL_USERS", bundle)));
            }
            for (var upload : uploads) {
                assertThat(upload.get().statusCode()).as(upload.get().body()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The same cards as the UI builds (gallery.ts), rendered on the server side into one page with the UI's CSS. */
    private static String serverRenderedList(StoreClient client, int port) throws Exception {
        String index = client.get("/").body();
        String css = index.replaceAll("(?s).*href=\"(/assets/[^\"]+\\.css)\".*", "$1");
        Map<String, String> colors = new java.util.HashMap<>();
        for (JsonNode tag : StoreClient.json(client.get("/api/v1/tags"))) {
            colors.put(tag.get("name").asText(), tag.get("color").asText());
        }
        StringBuilder html = new StringBuilder("<!doctype html><html lang=en><head><meta charset=utf-8><title>Apps</title>"
                + "<link rel=stylesheet href=\"http://127.0.0.1:" + port + css + "\"></head><body><main><h1>Apps</h1>"
                + "<ul class=cards>");
        for (int offset = 0; offset < APPS; offset += 200) {
            for (JsonNode app : StoreClient.json(client.get("/api/v1/apps?latest=true&limit=200&offset=" + offset)).get("items")) {
                html.append("<li class=card><img class=icon alt=\"\" width=48 height=48 loading=lazy decoding=async src=\"http://127.0.0.1:")
                        .append(port).append(app.get("iconUrl").asText()).append("\"><div class=card-body><h2 class=card-title>")
                        .append("<a href=\"/apps/").append(app.get("name").asText()).append("\">").append(escape(app.get("title").asText()))
                        .append("</a></h2><p class=card-desc>").append(escape(app.get("description").asText()))
                        .append("</p><p class=card-meta>v").append(escape(app.get("version").asText())).append("</p><p class=badges>");
                for (JsonNode tag : app.get("tags")) {
                    html.append("<span class=badge style=\"background:").append(colors.get(tag.asText()))
                            .append(";color:#fff\">").append(escape(tag.asText())).append("</span>");
                }
                html.append("</p></div></li>");
            }
        }
        return html.append("</ul></main></body></html>").toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static double mark(UiBrowser ui, String name) {
        return ((Number) ui.script("return performance.getEntriesByName(arguments[0])[0].startTime", name)).doubleValue();
    }

    private static double navigationValue(UiBrowser ui, String field) {
        return ((Number) ui.script("return performance.getEntriesByType('navigation')[0][arguments[0]]", field)).doubleValue();
    }

    private static double paint(UiBrowser ui) {
        Object fcp = ui.script("const p = performance.getEntriesByName('first-contentful-paint')[0]; return p ? p.startTime : -1");
        return ((Number) fcp).doubleValue();
    }
}
