package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppPassesTest {

    private static final String APP = "http://i-abc.apps.example.com";
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static AppPasses at(Instant now) {
        return AppPasses.sealedWith("shared secret", "wavestore_session", Duration.ofHours(8),
                Clock.fixed(now, ZoneOffset.UTC));
    }

    private static RequestCredentials withCookies(Map<String, String> cookies) {
        return new RequestCredentials(Map.of("cookie", "whatever", "authorization", "Bearer t"), cookies);
    }

    @Test
    void aGrantRedeemedAtItsOriginBecomesAPassThatStandsForTheSession() {
        AppPasses passes = at(NOW);
        AppPasses.Pass pass = passes.redeem(passes.grant(Optional.of("session-1"), APP), APP).orElseThrow();
        assertThat(pass.maxAge()).isEqualTo(Duration.ofHours(8));

        RequestCredentials seen = passes.onAppOrigin(
                withCookies(Map.of(AppPasses.COOKIE, pass.cookieValue(), "wavestore_session", "posed-by-an-app")), APP);
        assertThat(seen.cookies()).containsExactly(Map.entry("wavestore_session", "session-1"));
        assertThat(seen.header("cookie")).isEmpty();
        assertThat(seen.bearerToken()).contains("t");
        assertThat(passes.hasPass(withCookies(Map.of(AppPasses.COOKIE, pass.cookieValue())), APP)).isTrue();
    }

    @Test
    void aGrantOrPassIsGoodForItsOwnOriginOnly() {
        AppPasses passes = at(NOW);
        String grant = passes.grant(Optional.of("session-1"), APP);
        assertThat(passes.redeem(grant, "http://i-other.apps.example.com")).isEmpty();
        String pass = passes.redeem(grant, APP).orElseThrow().cookieValue();
        assertThat(passes.onAppOrigin(withCookies(Map.of(AppPasses.COOKIE, pass)), "http://i-other.apps.example.com")
                .cookies()).isEmpty();
        assertThat(passes.hasPass(withCookies(Map.of(AppPasses.COOKIE, pass)), "http://i-other.apps.example.com")).isFalse();
    }

    @Test
    void aPassIsNoGrantAndAGrantIsNoPass() {
        AppPasses passes = at(NOW);
        String grant = passes.grant(Optional.of("session-1"), APP);
        String pass = passes.redeem(grant, APP).orElseThrow().cookieValue();
        assertThat(passes.redeem(pass, APP)).isEmpty();
        assertThat(passes.onAppOrigin(withCookies(Map.of(AppPasses.COOKIE, grant)), APP).cookies()).isEmpty();
    }

    @Test
    void grantsExpireWithinAMinuteAndPassesWithTheirTime() {
        String grant = at(NOW).grant(Optional.of("session-1"), APP);
        assertThat(at(NOW.plusSeconds(59)).redeem(grant, APP)).isPresent();
        assertThat(at(NOW.plusSeconds(61)).redeem(grant, APP)).isEmpty();

        String pass = at(NOW).redeem(grant, APP).orElseThrow().cookieValue();
        assertThat(at(NOW.plus(Duration.ofHours(8)).minusSeconds(1)).hasPass(withCookies(Map.of(AppPasses.COOKIE, pass)), APP))
                .isTrue();
        assertThat(at(NOW.plus(Duration.ofHours(8))).hasPass(withCookies(Map.of(AppPasses.COOKIE, pass)), APP)).isFalse();
    }

    @Test
    void aVisitorWhoIsNotSignedInGetsAShortPassForNobody() {
        AppPasses passes = at(NOW);
        AppPasses.Pass pass = passes.redeem(passes.grant(Optional.empty(), APP), APP).orElseThrow();
        assertThat(pass.maxAge()).isEqualTo(AppPasses.ANONYMOUS_PASS_TTL);
        RequestCredentials seen = passes.onAppOrigin(withCookies(Map.of(AppPasses.COOKIE, pass.cookieValue())), APP);
        assertThat(seen.cookies()).isEmpty();
        assertThat(passes.hasPass(withCookies(Map.of(AppPasses.COOKIE, pass.cookieValue())), APP)).isTrue();
    }

    @Test
    void tamperedOrForeignTextsAreNothing() {
        AppPasses passes = at(NOW);
        String grant = passes.grant(Optional.of("session-1"), APP);
        int middle = grant.length() / 2;
        String flipped = grant.substring(0, middle) + (grant.charAt(middle) == 'A' ? 'B' : 'A') + grant.substring(middle + 1);
        assertThat(passes.redeem(flipped, APP)).isEmpty();
        assertThat(passes.redeem("v1.garbage", APP)).isEmpty();
        assertThat(passes.redeem("x".repeat(10_000), APP)).isEmpty();
        AppPasses otherKey = AppPasses.sealedWith("another secret", "wavestore_session", Duration.ofHours(8),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(otherKey.redeem(grant, APP)).isEmpty();
    }

    @Test
    void theDevelopmentIdentityLeavesRequestsAsTheyAre() {
        AppPasses none = AppPasses.none();
        RequestCredentials credentials = withCookies(Map.of("a", "b"));
        assertThat(none.enabled()).isFalse();
        assertThat(none.onAppOrigin(credentials, APP)).isEqualTo(credentials);
        assertThat(none.hasPass(credentials, APP)).isTrue();
    }
}
