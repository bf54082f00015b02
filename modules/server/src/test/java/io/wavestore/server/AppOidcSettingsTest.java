package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.wavestore.router.RouterSettings;
import io.wavestore.scheduler.AppOidcClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppOidcSettingsTest {

    private static Config config(Map<String, Object> settings) {
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    }

    @Test
    void noClientIdNoClient() {
        assertThat(AppOidcSettings.from(config(Map.of())).client(RouterSettings.from(config(Map.of())))).isEmpty();
    }

    @Test
    void theProviderIsTheStoresIssuerUnlessSetAndTheSecretIsNeverShown() {
        Config root = config(Map.of(
                "wavestore.identity.oidc.issuer", "https://id.example.com/realms/main",
                "wavestore.identity.app-oidc.client-id", "wave-apps",
                "wavestore.identity.app-oidc.client-secret", "s3cret-of-the-apps",
                "wavestore.router.store-url", "https://store.example.com",
                "wavestore.router.apps-domain", "apps.example.com"));
        AppOidcSettings settings = AppOidcSettings.from(root);
        assertThat(settings.toString()).doesNotContain("s3cret-of-the-apps").contains("wave-apps");
        AppOidcClient client = settings.client(RouterSettings.from(root)).orElseThrow();
        assertThat(client.providerUrl()).isEqualTo("https://id.example.com/realms/main");
        assertThat(client.appsOrigin()).isEqualTo("https://apps.example.com");
        assertThat(client.domainOrigin().apply("i-1")).isEqualTo("https://i-1.apps.example.com");
        assertThat(client.skipLogin()).isTrue();

        Config own = config(Map.of("wavestore.identity.app-oidc.client-id", "wave-apps",
                "wavestore.identity.app-oidc.provider-url", "https://other.example.com"));
        assertThat(AppOidcSettings.from(own).client(RouterSettings.from(own)).orElseThrow().providerUrl())
                .isEqualTo("https://other.example.com");
    }

    @Test
    void aClientWithoutAnyProviderIsRefusedAtStart() {
        Config root = config(Map.of("wavestore.identity.app-oidc.client-id", "wave-apps"));
        assertThatThrownBy(() -> AppOidcSettings.from(root).client(RouterSettings.from(root)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("WAVESTORE_APP_OIDC_PROVIDER_URL");
    }
}
