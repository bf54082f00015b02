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

    static OidcSettings settings(Optional<String> domain) {
        return new OidcSettings(URI.create("https://id.example.com"), "wavestore", "secret", Optional.empty(), Optional.empty(),
                List.of("openid"), "", new ClaimMapping("roles", "groups", Set.of("admin"), Set.of("visitor")),
                Duration.ofHours(8), "wavestore_session", Optional.empty(), "Lax", "", Duration.ofSeconds(10), domain);
    }

    @Test
    void theSessionCookieReachesAppHostsOnlyWhenADomainIsConfigured() {
        HttpRequest request = HttpRequest.create("https://store.example.com/auth/callback");
        HttpCookie hostOnly = AuthRoutes.sessionCookie(settings(Optional.empty()), request, "v", 60);
        assertThat(hostOnly.getDomain()).isEmpty();

        HttpCookie shared = AuthRoutes.sessionCookie(settings(Optional.of("example.com")), request, "v", 60);
        assertThat(shared.getDomain()).contains("example.com");
        assertThat(shared.httpOnly()).isTrue();
        assertThat(shared.getPath()).contains("/");
    }
}
