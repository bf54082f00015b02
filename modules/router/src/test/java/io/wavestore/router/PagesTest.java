package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.LaunchProgress;
import io.wavestore.scheduler.runtime.InstanceHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class PagesTest {

    private static final String EVIL = "<script>alert('x')</script>\"&";
    private final Pages pages = new Pages(RouterSettings.from(ConfigFactory.parseMap(Map.of(
            "wavestore.router.store-url", "https://store.example")).withFallback(ConfigFactory.defaultReference()).resolve()));

    private static String html(HttpResponse response) {
        return ((HttpEntity.Strict) response.entity()).getData().utf8String();
    }

    private static RouteTarget target(boolean failed, Optional<LaunchProgress> progress) {
        return new RouteTarget("i-abc", true, Optional.empty(), false,
                failed ? InstanceHealth.Phase.FAILED : InstanceHealth.Phase.STARTING, false,
                new InstanceAccess.InstanceFacts("olga", Visibility.PUBLIC, "alice"), RoutingMode.BASE_URL, AppMode.WAVE,
                EVIL + " 1.0", progress, Optional.empty(), Optional.of("CrashLoopBackOff: " + EVIL));
    }

    @Test
    void escapesEveryValue() {
        String starting = html(pages.starting(target(true, Optional.of(new LaunchProgress("STARTING_APP", "failed", EVIL,
                List.of(), 5, Instant.now()))), Optional.of("/_wavestore/status/i-abc\"><script>"), true));
        String suspended = html(pages.suspended(target(false, Optional.empty()), true));
        String notFound = html(pages.notFound(EVIL, EVIL));
        for (String page : List.of(starting, suspended, notFound)) {
            assertThat(page).doesNotContain("<script>alert").doesNotContain("\"&<").contains("&lt;script&gt;alert(&#39;x&#39;)");
        }
        assertThat(starting).contains("data-api=\"/_wavestore/status/i-abc&quot;&gt;&lt;script&gt;\"");
        assertThat(starting).contains("class=\"problem\"").contains("CrashLoopBackOff");
    }

    @Test
    void runsScriptsOnlyUnderTheNonceAndLoadsNothingFromOutside() {
        HttpResponse page = pages.starting(target(false, Optional.empty()), Optional.empty(), false);
        String csp = page.getHeader("Content-Security-Policy").orElseThrow().value();
        String nonce = csp.replaceAll(".*script-src 'nonce-([^']+)'.*", "$1");
        assertThat(csp).startsWith("default-src 'none'").contains("connect-src 'self';");
        String html = html(page);
        assertThat(html).contains("<script nonce=\"" + nonce + "\">").contains("<style nonce=\"" + nonce + "\">")
                .doesNotContain("src=\"http").doesNotContain("href=\"http");
        assertThat(page.status().intValue()).isEqualTo(503);
        assertThat(page.getHeader("Retry-After")).isPresent();
        assertThat(html).as("nobody who may not see status sees the problem").doesNotContain("class=\"problem\"");
    }

    @Test
    void offersResumeOnlyToThoseWhoMayManage() {
        assertThat(html(pages.suspended(target(false, Optional.empty()), true)))
                .as("a link to the instance in the store: the app's origin never calls the store's API")
                .contains("id=\"resume\" href=\"https://store.example/instances/i-abc\"");
        assertThat(html(pages.suspended(target(false, Optional.empty()), false))).doesNotContain("id=\"resume\"")
                .doesNotContain("<script");
    }
}
