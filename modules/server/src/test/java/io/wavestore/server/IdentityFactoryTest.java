package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.wavestore.identity.oidc.OidcSettings;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdentityFactoryTest {

    static ServerSettings settings(Map<String, Object> overrides) {
        return ServerSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
    }

    static Map<String, Object> oidc(Map<String, Object> more) {
        Map<String, Object> map = new HashMap<>(Map.of(
                "wavestore.identity.mode", "oidc",
                "wavestore.identity.oidc.issuer", "https://id.example.com/realms/store",
                "wavestore.identity.oidc.client-id", "wavestore"));
        map.putAll(more);
        return map;
    }

    @Test
    void theDevelopmentIdentityStaysOnLoopbackUnlessAllowed() {
        IdentityFactory.check(settings(Map.of()));
        assertThatThrownBy(() -> IdentityFactory.check(settings(Map.of("wavestore.http.host", "0.0.0.0"))))
                .hasMessageContaining("loopback").hasMessageContaining("WAVESTORE_DEV_IDENTITY_ALLOW_NON_LOOPBACK");
        IdentityFactory.check(settings(Map.of("wavestore.http.host", "0.0.0.0",
                "wavestore.identity.development.allow-non-loopback", true)));
    }

    @Test
    void oidcListensAnywhere() {
        IdentityFactory.check(settings(oidc(Map.of("wavestore.http.host", "0.0.0.0"))));
    }

    @Test
    void unknownModesAndMissingSettingsAreNamed() {
        assertThatThrownBy(() -> IdentityFactory.check(settings(Map.of("wavestore.identity.mode", "ldap"))))
                .hasMessageContaining("WAVESTORE_IDENTITY_MODE");
        assertThatThrownBy(() -> IdentityFactory.check(settings(oidc(Map.of("wavestore.identity.oidc.issuer", "")))))
                .hasMessageContaining("WAVESTORE_OIDC_ISSUER");
        assertThatThrownBy(() -> IdentityFactory.check(settings(oidc(Map.of("wavestore.identity.oidc.client-id", "")))))
                .hasMessageContaining("WAVESTORE_OIDC_CLIENT_ID");
        assertThatThrownBy(() -> IdentityFactory.check(settings(oidc(Map.of("wavestore.identity.oidc.cookie-secure", "maybe")))))
                .hasMessageContaining("WAVESTORE_OIDC_COOKIE_SECURE");
        assertThatThrownBy(() -> IdentityFactory.check(settings(oidc(Map.of("wavestore.identity.oidc.issuer", "id.example.com")))))
                .hasMessageContaining("http(s) URL");
    }

    @Test
    void defaultsAndEnvironmentStyleLists() {
        OidcSettings s = IdentityFactory.oidcSettings(settings(oidc(Map.of(
                "wavestore.identity.oidc.admin-roles", "store-admin, ops",
                "wavestore.identity.oidc.cookie-secure", "true"))).identity().oidc());
        assertThat(s.issuer()).isEqualTo(URI.create("https://id.example.com/realms/store"));
        assertThat(s.scopes()).containsExactly("openid", "profile", "email", "offline_access");
        assertThat(s.expectedAudience()).isEqualTo("wavestore");
        assertThat(s.claims().adminRoles()).containsExactlyInAnyOrder("store-admin", "ops");
        assertThat(s.claims().visitorRoles()).containsExactly("visitor");
        assertThat(s.sessionTtl()).isEqualTo(Duration.ofHours(8));
        assertThat(s.cookieName()).isEqualTo("wavestore_session");
        assertThat(s.cookieSecure()).contains(true);
        assertThat(s.cookieSameSite()).isEqualTo("Lax");
        assertThat(s.redirectUri()).isEqualTo(Optional.empty());
        assertThat(s.tokenCipher()).as("no secret, no client secret: refresh tokens are not kept").isEmpty();
        OidcSettings confidential = IdentityFactory.oidcSettings(settings(oidc(Map.of(
                "wavestore.identity.oidc.client-secret", "secret-value"))).identity().oidc());
        assertThat(confidential.tokenCipher()).isPresent();
        assertThat(confidential.toString()).doesNotContain("secret-value");
    }

    @Test
    void aSessionCookieDomainIsRefusedSinceAppsNeverReceiveTheSessionCookie() {
        assertThat(IdentityFactory.oidcSettings(settings(oidc(Map.of())).identity().oidc()).cookieName())
                .isEqualTo("wavestore_session");
        assertThatThrownBy(() -> IdentityFactory.oidcSettings(settings(oidc(Map.of("wavestore.identity.oidc.cookie-domain",
                "example.com"))).identity().oidc()))
                .hasMessageContaining("WAVESTORE_OIDC_COOKIE_DOMAIN").hasMessageContaining("pass");
    }
}
