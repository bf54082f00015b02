package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The web UI, driven in a real headless Chromium against a real store on the local runtime: upload (a file chosen and
 * a bad bundle dropped), find in the gallery, the app page, run an instance and watch its steps, open it through the
 * router, suspend, resume, follow its log, terminate; the admin pages; hostile long descriptions; the signed-out
 * state; a phone's width; the keyboard. Screenshots of each page go to target/screenshots/ui-*.png.
 */
class WebUiIT extends UiTestBase {

    static final Duration READY_WITHIN = LocalInstancesIT.READY_WITHIN;

    @Test
    void uploadFindRunOpenSuspendResumeFollowTheLogAndTerminate() throws Exception {
        assertThat(client.send("POST", "/api/v1/tags", "{\"name\":\"analytics\",\"title\":\"Analytics\",\"color\":\"#8250df\"}")
                .statusCode()).isEqualTo(201);
        for (int n = 1; n <= 3; n++) {
            byte[] other = WaveBundleBuilder.app("io.test.report-" + n, "1.0.0")
                    .manifest(manifest("io.test.report-" + n, "1.0.0", "Report " + n, "Tags = [\"analytics\"]")).bytes();
            assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", other).statusCode()).isEqualTo(201);
        }

        // Upload the example app through the file input.
        Path wave = dataDir.resolve("hello-wave.wave");
        BundlePacker.pack(Path.of("../../examples/hello-wave").toAbsolutePath().normalize(), wave);
        ui.open("/upload").await("[data-test=dropzone]");
        ui.driver().findElement(By.id("upload-file")).sendKeys(wave.toAbsolutePath().toString());
        assertThat(ui.text("[data-test=chosen]")).contains("hello-wave.wave");
        new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.id("upload-visibility"))).selectByValue("ALL_USERS");
        ui.driver().findElement(By.cssSelector("[data-test=upload]")).click();
        ui.until(d -> d.getCurrentUrl().endsWith("/apps/io.wavestore.hello-wave/0.1.0"), Duration.ofSeconds(30),
                "the upload did not lead to the app page");
        ui.await(".app-head h1");
        assertThat(ui.text(".app-head h1")).isEqualTo("Hello Wave");

        // Find it in the gallery: by text, then by category.
        ui.open("/").await("[data-app='io.wavestore.hello-wave']");
        ui.screenshot("gallery");
        ui.driver().findElement(By.id("gallery-search")).sendKeys("hello");
        assertThat(visibleCards()).containsExactly("io.wavestore.hello-wave");
        ui.driver().findElement(By.id("gallery-search")).sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        ui.driver().findElement(By.cssSelector(".chip[data-tag=analytics]")).click();
        assertThat(visibleCards()).containsExactlyInAnyOrder("io.test.report-1", "io.test.report-2", "io.test.report-3");
        assertThat(ui.driver().getCurrentUrl()).endsWith("?tag=analytics");
        WebElement badge = ui.driver().findElement(By.cssSelector(".card .badge"));
        assertThat(badge.getCssValue("background-color")).isEqualTo("rgba(130, 80, 223, 1)");
        ui.driver().findElement(By.cssSelector(".chip[data-tag='']")).click();
        ui.driver().findElement(By.cssSelector("[data-app='io.wavestore.hello-wave'] a")).click();

        // The app page: screenshots full size on click, owner, and Run.
        ui.await("[data-test=run]");
        assertThat(ui.text("[data-test=owner]")).isEqualTo("developer");
        assertThat(ui.text("[data-test=long-description]")).isNotBlank();
        ui.screenshot("app");
        ui.driver().findElement(By.cssSelector(".shot")).click();
        WebElement full = ui.await("dialog.lightbox[open] img");
        assertThat(full.getAttribute("src")).endsWith("/screenshots/0");
        ui.screenshot("app-screenshot");
        ui.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);
        ui.until(d -> ui.all("dialog.lightbox[open]").isEmpty() ? true : null, Duration.ofSeconds(5), "Escape closed it");
        ui.driver().findElement(By.cssSelector("[data-test=run]")).click();

        // The instance page: its start-up steps while it starts, then running, with its log.
        ui.until(d -> d.getCurrentUrl().contains("/instances/i-"), Duration.ofSeconds(30), "Run did not open the instance");
        String id = ui.driver().getCurrentUrl().replaceAll(".*/instances/", "");
        ui.await("[data-test=progress] .step");
        ui.screenshot("instance-starting");
        ui.await("tr[data-status=running]", READY_WITHIN);
        ui.until(d -> ui.text("[data-test=logs]").isBlank() ? null : true, Duration.ofSeconds(30), "no log lines");
        ui.screenshot("instance");

        // Open it through the router, and see the app answer.
        ui.driver().findElement(By.cssSelector("[data-action=open]")).click();
        ui.until(d -> d.getCurrentUrl().contains("/instance/" + id + "/"), Duration.ofSeconds(10), "Open did not go to the router");
        ui.await("[data-test=greet]", Duration.ofSeconds(60));
        ui.screenshot("instance-opened");

        // Update it to a newer version and share it with every signed-in user, from its page.
        Path newer = dataDir.resolve("hello-wave-0.2.0");
        copyTree(Path.of("../../examples/hello-wave").toAbsolutePath().normalize(), newer);
        java.nio.file.Files.writeString(newer.resolve("app.toml"), java.nio.file.Files.readString(newer.resolve("app.toml"))
                .replace("Version = \"0.1.0\"", "Version = \"0.2.0\""));
        BundlePacker.pack(newer, dataDir.resolve("hello-wave-0.2.0.wave"));
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", dataDir.resolve("hello-wave-0.2.0.wave")).statusCode())
                .isEqualTo(201);
        ui.open("/instances/" + id).await("#instance-version option[value='0.2.0']");
        new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.id("instance-version"))).selectByValue("0.2.0");
        new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.id("instance-visibility"))).selectByValue("ALL_USERS");
        ui.driver().findElement(By.cssSelector("[data-action=apply]")).click();
        client.awaitInstance(id, i -> i.path("appVersion").asText().equals("0.2.0") && i.path("visibility").asText()
                .equals("ALL_USERS") && i.path("phase").asText().equals("RUNNING") && i.path("ready").asBoolean(), READY_WITHIN);
        ui.until(d -> ui.text("tr[data-instance='" + id + "']").contains("v0.2.0") ? true : null, Duration.ofSeconds(20),
                "the page shows the new version");

        // The gallery shows the newest version of each app; every version on demand.
        ui.open("/?q=hello").await(".card[data-app='io.wavestore.hello-wave']");
        assertThat(ui.text(".card[data-app='io.wavestore.hello-wave'] .card-meta")).startsWith("v0.2.0");
        ui.driver().findElement(By.id("gallery-all")).click();
        ui.until(d -> ui.all(".card[data-app='io.wavestore.hello-wave']").size() == 2 ? true : null, Duration.ofSeconds(10),
                "both versions listed");
        assertThat(ui.driver().getCurrentUrl()).endsWith("?q=hello&all=1");

        // My instances: suspend, resume, terminate.
        ui.open("/instances").await("tr[data-instance='" + id + "'][data-status=running]");
        ui.screenshot("instances");
        ui.driver().findElement(By.cssSelector("tr[data-instance='" + id + "'] [data-action=suspend]")).click();
        ui.await("tr[data-instance='" + id + "'][data-status=suspended]", Duration.ofSeconds(60));
        ui.driver().findElement(By.cssSelector("tr[data-instance='" + id + "'] [data-action=resume]")).click();
        ui.await("tr[data-instance='" + id + "'][data-status=running]", READY_WITHIN);
        ui.driver().findElement(By.cssSelector("tr[data-instance='" + id + "'] [data-action=terminate]")).click();
        ui.driver().findElement(By.cssSelector("tr[data-instance='" + id + "'] [data-action='really terminate']")).click();
        ui.until(d -> ui.all("tr[data-instance='" + id + "']").isEmpty(), Duration.ofSeconds(60), "the instance stayed listed");
        assertThat(client.get("/api/v1/instances/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aBadBundleShowsItsFieldErrorsAndAHostileDescriptionRunsNothing() throws Exception {
        byte[] bad = WaveBundleBuilder.app("io.test.bad", "1.0.0")
                .manifest("[App]\nName = \"Not A Name!\"\nVersion = \"1.0.0\"\n\n[Runtime]\nModule = \"app\"\nMemoryLimit = \"lots\"\n")
                .bytes();
        ui.open("/upload").await("[data-test=dropzone]");
        ui.dropFile("[data-test=dropzone]", "bad.wave", bad);
        assertThat(ui.text("[data-test=chosen]")).contains("bad.wave");
        ui.driver().findElement(By.cssSelector("[data-test=upload]")).click();
        ui.await(".problem [data-field='App.Name']");
        assertThat(ui.all(".problem dd[data-field]")).extracting(e -> e.getAttribute("data-field"))
                .contains("App.Name", "Runtime.MemoryLimit");
        ui.screenshot("upload-errors");

        String hostile = """
                # Innocent

                <script>window.__pwned = 'script';</script>
                <img src="x" onerror="window.__pwned = 'onerror'; document.body.appendChild(document.createElement('blink'))">
                <div id="injected">raw html</div>

                [a link](javascript:window.__pwned='link') and ![img](javascript:alert(1))
                """;
        byte[] evil = WaveBundleBuilder.app("io.test.evil", "1.0.0").file("README.md", hostile).bytes();
        HttpResponse<String> uploaded = client.upload("/api/v1/apps?visibility=ALL_USERS", evil);
        assertThat(uploaded.statusCode()).isEqualTo(201);
        ui.open("/apps/io.test.evil").await("[data-test=long-description] h1");
        Thread.sleep(500); // an injected onerror would fire once the image failed to load
        assertThat(ui.script("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(ui.all("#injected, blink, [data-test=long-description] script, [data-test=long-description] img[onerror],"
                + " [data-test=long-description] a[href^='javascript']")).isEmpty();
        assertThat(ui.text("[data-test=long-description]")).contains("<script>window.__pwned = 'script';</script>");
        assertNoAlert();
        ui.screenshot("app-hostile-description");
    }

    @Test
    void adminCreatesATagWithItsColourAndAnAliasAndFiltersEveryInstance() throws Exception {
        ui.open("/admin").await("#tag-name");
        ui.driver().findElement(By.id("tag-name")).sendKeys("finance");
        ui.driver().findElement(By.id("tag-title")).sendKeys("Finance");
        ui.script("const c = document.getElementById('tag-color'); c.value = '#d1242f';"
                + " c.dispatchEvent(new Event('input', {bubbles: true}));");
        ui.driver().findElement(By.id("tag-roles")).sendKeys("partner, auditor");
        ui.driver().findElement(By.cssSelector("[data-test=save-tag]")).click();
        WebElement badge = ui.await("tr[data-tag=finance] .badge");
        assertThat(badge.getCssValue("background-color")).isEqualTo("rgba(209, 36, 47, 1)");
        assertThat(badge.getCssValue("color")).isEqualTo("rgba(255, 255, 255, 1)");
        JsonNode tag = StoreClient.json(client.get("/api/v1/tags")).get(0);
        assertThat(tag.get("visitorRoles").toString()).isEqualTo("[\"auditor\",\"partner\"]");
        ui.screenshot("admin-tags");

        // A duplicate shows the API's problem.
        ui.driver().findElement(By.id("tag-name")).sendKeys("finance");
        ui.driver().findElement(By.cssSelector("[data-test=save-tag]")).click();
        ui.await(".problem");

        byte[] app = WaveBundleBuilder.app("io.test.counted", "1.0.0").bytes();
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", app).statusCode()).isEqualTo(201);
        java.util.List<String> started = new java.util.ArrayList<>();
        for (String user : new String[] {"olga", "piet"}) {
            started.add(StoreClient.json(client.as(user, "full-user").send("POST", "/api/v1/instances",
                    "{\"app\":\"io.test.counted\",\"version\":\"1.0.0\"}")).get("id").asText());
        }

        // An alias for an instance, then pointed at the other one; its URL stays.
        for (int n = 0; n < 50 && StoreClient.json(client.get("/api/v1/instances")).size() < 2; n++) {
            Thread.sleep(200); // the listing learns of new instances a moment after they start
        }
        ui.open("/admin/aliases").await("#alias-name").sendKeys("quarterly");
        new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.id("alias-instance"))).selectByValue(started.get(0));
        ui.driver().findElement(By.cssSelector("[data-test=save-alias]")).click();
        ui.await("tr[data-alias=quarterly]");
        assertThat(StoreClient.json(client.get("/api/v1/aliases/quarterly")).get("instance").asText()).isEqualTo(started.get(0));
        new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.cssSelector("tr[data-alias=quarterly] [data-test=repoint]")))
                .selectByValue(started.get(1));
        ui.driver().findElement(By.cssSelector("tr[data-alias=quarterly] [data-action=point]")).click();
        // The instance cell, not the row: the row's repoint list names every instance.
        ui.until(d -> ui.text("tr[data-alias=quarterly] td:nth-child(2)").startsWith(started.get(1)) ? true : null,
                Duration.ofSeconds(10),
                "the alias points at the other instance");
        assertThat(StoreClient.json(client.get("/api/v1/aliases/quarterly")).get("instance").asText()).isEqualTo(started.get(1));
        assertThat(ui.text("tr[data-alias=quarterly]")).contains("(primary)");

        // A second alias of that instance is not its primary until an admin makes it so; then the first is not.
        ui.driver().findElement(By.id("alias-name")).sendKeys("q-latest");
        new org.openqa.selenium.support.ui.Select(ui.driver().findElement(By.id("alias-instance"))).selectByValue(started.get(1));
        ui.driver().findElement(By.cssSelector("[data-test=save-alias]")).click();
        ui.await("tr[data-alias=q-latest] [data-action='make primary']").click();
        ui.until(d -> ui.text("tr[data-alias=q-latest] td:nth-child(2)").contains("(primary)") ? true : null, Duration.ofSeconds(10),
                "the new alias shows as primary");
        assertThat(ui.text("tr[data-alias=quarterly] td:nth-child(2)")).doesNotContain("(primary)");
        assertThat(ui.all("tr[data-alias=q-latest] [data-action='make primary']")).isEmpty();
        assertThat(ui.all("tr[data-alias=quarterly] [data-action='make primary']")).hasSize(1);
        assertThat(StoreClient.json(client.get("/api/v1/aliases/q-latest")).get("primary").asBoolean()).isTrue();
        assertThat(StoreClient.json(client.get("/api/v1/aliases/quarterly")).get("primary").asBoolean()).isFalse();
        ui.screenshot("admin-aliases");
        ui.open("/admin/instances").await("table[data-test=instances] tbody tr");
        ui.until(d -> ui.all("table[data-test=instances] tbody tr").size() == 2 ? true : null, Duration.ofSeconds(10),
                "both instances listed");
        ui.driver().findElement(By.id("filter-owner")).sendKeys("olga", Keys.ENTER);
        ui.until(d -> d.getCurrentUrl().endsWith("owner=olga") && ui.all("table[data-test=instances] tbody tr").size() == 1
                ? true : null, Duration.ofSeconds(10), "the owner filter left one instance");
        assertThat(ui.text("table[data-test=instances] tbody")).contains("olga").doesNotContain("piet");
        ui.screenshot("admin-instances");
        for (JsonNode instance : StoreClient.json(client.get("/api/v1/instances"))) {
            client.send("DELETE", "/api/v1/instances/" + instance.get("id").asText(), null);
        }
    }

    @Test
    void signedOutPhoneWidthKeyboardAndTheDevelopmentBanner() throws Exception {
        for (int n = 1; n <= 6; n++) {
            byte[] app = WaveBundleBuilder.app("io.test.phone-" + n, "1.0.0").bytes();
            assertThat(client.upload("/api/v1/apps?visibility=PUBLIC", app).statusCode()).isEqualTo(201);
        }
        byte[] hidden = WaveBundleBuilder.app("io.test.private", "1.0.0").bytes();
        assertThat(client.upload("/api/v1/apps?visibility=PRIVATE", hidden).statusCode()).isEqualTo(201);

        // The development identity says so; the developer is signed in as an admin.
        ui.open("/").await("#dev-banner");
        assertThat(ui.text("#dev-banner")).contains("Development identity");
        assertThat(ui.text("[data-test=user]")).isEqualTo("developer");
        assertThat(ui.all("#nav-admin a")).allMatch(WebElement::isDisplayed);

        // Keyboard: the first Tab reaches the skip link, which moves focus to the content; Tab on to the search,
        // type, Tab to the first card and Enter opens it.
        ui.driver().findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertThat(ui.script("return document.activeElement.textContent")).isEqualTo("Skip to content");
        ui.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        assertThat(ui.script("return document.activeElement.id")).isEqualTo("main");
        for (int n = 0; n < 10 && !"gallery-search".equals(ui.script("return document.activeElement.id")); n++) {
            ui.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(ui.script("return document.activeElement.id")).isEqualTo("gallery-search");
        ui.driver().switchTo().activeElement().sendKeys("phone-3");
        ui.until(d -> visibleCards().equals(java.util.List.of("io.test.phone-3")) ? true : null, Duration.ofSeconds(10),
                "the search left one card");
        String inCard = "const c = document.activeElement.closest('.card'); return c ? c.dataset.app : null";
        for (int n = 0; n < 30 && ui.script(inCard) == null; n++) {
            ui.driver().switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(ui.script(inCard)).as("focus on %s", ui.script("return document.activeElement.outerHTML"))
                .isEqualTo("io.test.phone-3");
        ui.driver().switchTo().activeElement().sendKeys(Keys.ENTER);
        ui.until(d -> d.getCurrentUrl().endsWith("/apps/io.test.phone-3"), Duration.ofSeconds(10), "Enter opened the card");

        // A phone's width: one column, nothing wider than the screen.
        ui.driver().manage().window().setSize(new Dimension(390, 844));
        ui.open("/").await(".card");
        assertThat(ui.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        assertThat(ui.script("return new Set([...document.querySelectorAll('.card')].map(c => c.offsetLeft)).size"))
                .isEqualTo(1L);
        ui.screenshot("phone-gallery");
        ui.open("/apps/io.test.phone-1").await("[data-test=run]");
        assertThat(ui.script("return document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        ui.screenshot("phone-app");
        ui.driver().manage().window().setSize(new Dimension(1280, 900));

        // Signed out: a sign-in link, no admin section, only public apps, and Run asks to sign in first.
        ui.actAs("anonymous", null);
        ui.open("/").await("[data-test=sign-in]");
        assertThat(ui.text("[data-test=user]")).isEqualTo("Not signed in");
        assertThat(ui.driver().findElement(By.id("nav-admin")).isDisplayed()).isFalse();
        assertThat(ui.all("[data-app='io.test.private']")).isEmpty();
        assertThat(ui.all(".card[data-app^='io.test.phone-']")).hasSize(6);
        ui.screenshot("signed-out");
        ui.open("/apps/io.test.phone-1").await(".action a");
        assertThat(ui.text(".action a")).isEqualTo("Sign in to run");
        assertThat(ui.driver().findElement(By.cssSelector(".action a")).getAttribute("href"))
                .endsWith("/auth/login?return_to=%2Fapps%2Fio.test.phone-1");
    }

    @Test
    void aManagedAppIsVisitedNotRunAndOnlyOpenableInstancesAreListed() throws Exception {
        byte[] managed = WaveBundleBuilder.app("io.test.managed", "1.0.0")
                .manifest(manifest("io.test.managed", "1.0.0", "Managed", "InstanceLifecycle = \"MANAGED\"")).bytes();
        assertThat(client.upload("/api/v1/apps?visibility=ALL_USERS", managed).statusCode()).isEqualTo(201);
        String shared = StoreClient.json(client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.test.managed\",\"version\":\"1.0.0\",\"visibility\":\"ALL_USERS\"}")).get("id").asText();
        String own = StoreClient.json(client.send("POST", "/api/v1/instances",
                "{\"app\":\"io.test.managed\",\"version\":\"1.0.0\"}")).get("id").asText();

        StoreClient olga = client.as("olga", "full-user");
        // The listing learns of new instances from the runtime, a moment after they start.
        JsonNode all = null;
        for (int n = 0; n < 50 && (all == null || all.size() < 2); n++, Thread.sleep(200)) {
            all = StoreClient.json(client.get("/api/v1/instances?app=io.test.managed"));
        }
        assertThat(all.findValuesAsText("id")).containsExactlyInAnyOrder(shared, own);
        JsonNode openable = StoreClient.json(olga.get("/api/v1/instances?app=io.test.managed&openable=true"));
        assertThat(openable.findValuesAsText("id")).containsExactly(shared);
        assertThat(StoreClient.json(client.as("vera", "visitor").get("/api/v1/instances?app=io.test.managed&openable=true")))
                .isEmpty();
        assertThat(StoreClient.json(client.as("anonymous", null).get("/api/v1/instances?app=io.test.managed&openable=true")))
                .isEmpty();
        HttpResponse<String> noApp = olga.get("/api/v1/instances?openable=true");
        assertThat(noApp.statusCode()).isEqualTo(400);
        assertThat(StoreClient.json(noApp).get("field").asText()).isEqualTo("app");
        assertThat(olga.send("POST", "/api/v1/instances", "{\"app\":\"io.test.managed\",\"version\":\"1.0.0\"}").statusCode())
                .isEqualTo(403);

        ui.actAs("olga", "full-user");
        ui.open("/apps/io.test.managed").await("[data-test=visit]");
        assertThat(ui.driver().findElement(By.cssSelector("[data-test=visit]")).getAttribute("href"))
                .endsWith("/instance/" + shared + "/");
        assertThat(ui.all("[data-test=run]")).isEmpty();
        ui.screenshot("app-managed");
        client.send("DELETE", "/api/v1/instances/" + own, null);

        // A link app only links, to a new tab that gets no handle on the store's window.
        byte[] link = WaveBundleBuilder.app("io.test.link", "1.0.0")
                .manifest("""
                        [App]
                        Name = "io.test.link"
                        Version = "1.0.0"
                        Title = "Dashboards"
                        InstanceLifecycle = "LINK"

                        [Link]
                        Address = "https://dashboards.example.org/q3"
                        """).bytes();
        HttpResponse<String> linked = client.upload("/api/v1/apps?visibility=ALL_USERS", link);
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        WebElement open = ui.open("/apps/io.test.link").await("[data-test=open-link]");
        assertThat(open.getAttribute("href")).isEqualTo("https://dashboards.example.org/q3");
        assertThat(open.getAttribute("rel")).contains("noopener");
        assertThat(ui.all("[data-test=run], [data-test=visit]")).isEmpty();
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = java.nio.file.Files.walk(from)) {
            for (Path path : paths.toList()) {
                java.nio.file.Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    private java.util.List<String> visibleCards() {
        return ui.all(".card").stream().filter(WebElement::isDisplayed).map(c -> c.getAttribute("data-app")).toList();
    }

    private void assertNoAlert() {
        try {
            ui.driver().switchTo().alert();
            throw new AssertionError("the page opened an alert");
        } catch (NoAlertPresentException expected) {
            // nothing injected ran
        }
    }
}
