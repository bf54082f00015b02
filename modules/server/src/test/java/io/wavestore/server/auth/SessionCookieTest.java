package io.wavestore.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.identity.oidc.ClaimMapping;
import io.wavestore.identity.oidc.OidcSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.junit.jupiter.api.Test;

class SessionCookieTest {

    static OidcSettings settings() {
        return new OidcSettings(URI.create("https://id.example.com"), "wavestore", "secret", Optional.empty(), Optional.empty(),
                List.of("openid"), "", new ClaimMapping("roles", "groups", Set.of("admin"), Set.of("visitor")),
                Duration.ofHours(8), "wavestore_session", Optional.empty(), "Lax", "", Duration.ofSeconds(10));
    }

    @Test
    void theSessionCookieStaysOnTheStoresHost() {
        HttpRequest request = HttpRequest.create("https://store.example.com/auth/callback");
        HttpCookie cookie = AuthRoutes.sessionCookie(settings(), request, "v", 60);
        assertThat(cookie.getDomain()).isEmpty();
        assertThat(cookie.httpOnly()).isTrue();
        assertThat(cookie.secure()).isTrue();
        assertThat(cookie.getPath()).contains("/");
    }
}
