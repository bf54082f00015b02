package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.WaveBundleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * axe-core (the npm package the UI's build installs; injected from its local file, never fetched from elsewhere) checks
 * every page of the UI in a real headless Chromium, with content on it: no serious or critical violation is allowed.
 * Everything axe reports, of every impact, goes to target/axe-report.txt for modules/server/src/main/web/README.md.
 */
class WebUiAccessibilityIT extends UiTestBase {

    static final Path AXE = Path.of("src/main/web/node_modules/axe-core/axe.min.js");
    static final Path REPORT = Path.of("target", "axe-report.txt");

    @Test
    void noPageHasASeriousOrCriticalViolation() throws Exception {
        assertThat(client.send("POST", "/api/v1/tags", "{\"name\":\"finance\",\"title\":\"Finance\",\"color\":\"#ffd33d\","
                + "\"visitorRoles\":[\"partner\"]}").statusCode()).isEqualTo(201);
        assertThat(client.send("POST", "/api/v1/tags", "{\"name\":\"ops\",\"title\":\"Operations\",\"color\":\"#0d1117\"}")
                .statusCode()).isEqualTo(201);
        for (int n = 1; n <= 3; n++) {
            byte[] app = WaveBundleBuilder.app("io.test.a11y-" + n, "1.0.0")
                    .manifest(manifest("io.test.a11y-" + n, "1.0.0", "Report " + n, "Tags = [\"finance\", \"ops\"]")).bytes();
            assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", app).statusCode()).isEqualTo(201);
        }
        String id = StoreClient.json(client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.test.a11y-1\",\"version\":\"1.0.0\"}")).get("id").asText();
        assertThat(client.send("POST", "/api/v1/aliases", "{\"name\":\"numbers\",\"instance\":\"" + id + "\"}").statusCode())
                .isEqualTo(201);
        assertThat(client.send("POST", "/api/v1/secrets", "{\"name\":\"a11y\",\"scope\":\"PRIVATE\",\"values\":{\"k\":\"v\"}}")
                .statusCode()).isEqualTo(201);

        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/", ".card[data-app='io.test.a11y-3']");
        pages.put("/apps/io.test.a11y-1", "[data-test=run]");
        pages.put("/instances", "tr[data-instance='" + id + "']");
        pages.put("/instances/" + id, "[data-test=logs]");
        pages.put("/upload", "[data-test=dropzone]");
        pages.put("/secrets", "tr[data-secret=a11y]");
        pages.put("/admin/tags", "tr[data-tag=finance]");
        pages.put("/admin/aliases", "tr[data-alias=numbers]");
        pages.put("/admin/instances", "tr[data-instance='" + id + "']");

        String axe = Files.readString(AXE);
        ui.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        List<String> report = new ArrayList<>();
        List<String> serious = new ArrayList<>();
        for (var page : pages.entrySet()) {
            ui.open(page.getKey()).await(page.getValue(), Duration.ofSeconds(30));
            check(page.getKey(), axe, report, serious);
        }
        // The states that only appear after something happened: the API's problem on the upload page, signed out.
        ui.open("/upload").await("[data-test=dropzone]");
        ui.dropFile("[data-test=dropzone]", "bad.wave", WaveBundleBuilder.app("io.test.bad", "1.0.0")
                .manifest("[App]\nName = \"Not A Name!\"\nVersion = \"1.0.0\"\n").bytes());
        ui.driver().findElement(org.openqa.selenium.By.cssSelector("[data-test=upload]")).click();
        ui.await(".problem dd[data-field]");
        check("/upload with the API's problem", axe, report, serious);
        ui.actAs("anonymous", null);
        ui.open("/").await("[data-test=sign-in]");
        check("/ signed out", axe, report, serious);

        // The harness itself finds what it should: an unlabelled field and an image without a text alternative.
        ui.script("document.getElementById('main').insertAdjacentHTML('beforeend', '<input id=\"bare\"><img src=\"/x.png\">')");
        assertThat(run("self-check", axe)).filteredOn(v -> "violation".equals(v.get("kind"))).extracting(v -> v.get("id"))
                .contains("label", "image-alt");
        Files.createDirectories(REPORT.getParent());
        Files.write(REPORT, report);
        assertThat(serious).as("axe's serious and critical violations; every finding is in %s", REPORT.toAbsolutePath())
                .isEmpty();
    }

    private void check(String page, String axe, List<String> report, List<String> serious) {
        List<Map<String, Object>> found = run(page, axe);
        found.stream().filter(v -> "passes".equals(v.get("kind"))).forEach(v -> report.add(page + ": " + v.get("id")));
        for (Map<String, Object> v : found) {
            if ("passes".equals(v.get("kind"))) {
                continue;
            }
            String line = page + ": " + v.get("kind") + " " + v.get("impact") + " " + v.get("id") + " (" + v.get("help")
                    + ") at " + v.get("targets");
            report.add(line);
            if ("violation".equals(v.get("kind")) && ("serious".equals(v.get("impact")) || "critical".equals(v.get("impact")))) {
                serious.add(line);
            }
        }
    }

    /**
     * axe.run on the whole page, against WCAG 2.x A and AA and axe's best practices: its violations, what it could not
     * decide alone (kind "incomplete", for a person to check), and how many rules passed (kind "passes").
     */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> run(String page, String axe) {
        if (!Boolean.TRUE.equals(ui.script("return typeof window.axe === 'object'"))) {
            ui.script(axe);
        }
        Object result = ((org.openqa.selenium.JavascriptExecutor) ui.driver()).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const describe = (kind) => (v) => ({ kind, id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5).join(', ') });
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                    'wcag22aa', 'best-practice'] } })
                  .then(r => done([...r.violations.map(describe('violation')), ...r.incomplete.map(describe('incomplete')),
                      { kind: 'passes', id: r.passes.length + ' rules passed' }]))
                  .catch(e => done([{ kind: 'violation', id: 'axe-failed', impact: 'critical', help: String(e), targets: '' }]));
                """);
        assertThat(result).as("axe ran on %s", page).isInstanceOf(List.class);
        return (List<Map<String, Object>>) result;
    }
}
