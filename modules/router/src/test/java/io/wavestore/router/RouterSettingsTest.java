package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterSettingsTest {

    private static RouterSettings settings(String storeUrl, String appsDomain) {
        return RouterSettings.from(ConfigFactory.parseMap(Map.of("wavestore.router.store-url", storeUrl,
                "wavestore.router.apps-domain", appsDomain)).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void appsLiveOnOriginsApartFromTheStores() {
        RouterSettings s = settings("https://store.example.com/", ".Apps.Example.com");
        assertThat(s.appsDomain()).isEqualTo("apps.example.com");
        assertThat(s.storeOrigin()).isEqualTo("https://store.example.com");
        assertThat(s.appsOrigin()).isEqualTo("https://apps.example.com");
        assertThat(s.domainOrigin("sales")).isEqualTo("https://sales.apps.example.com");
        assertThat(s.instanceUrl("i-1")).isEqualTo("https://apps.example.com/instance/i-1/");

        RouterSettings local = settings("http://127.0.0.1:8080", "apps.localhost");
        assertThat(local.appsOrigin()).isEqualTo("http://apps.localhost:8080");
        assertThat(local.domainOrigin("i-1")).isEqualTo("http://i-1.apps.localhost:8080");
    }

    @Test
    void theAppsDomainIsRequiredAndNeverTheStoresHost() {
        assertThatThrownBy(() -> settings("http://127.0.0.1:8080", "")).hasMessageContaining("WAVESTORE_ROUTER_APPS_DOMAIN")
                .hasMessageContaining("origin");
        assertThatThrownBy(() -> settings("https://store.example.com", "store.example.com"))
                .hasMessageContaining("never share the store's origin");
        assertThatThrownBy(() -> settings("https://store.apps.example.com", "apps.example.com"))
                .hasMessageContaining("never share the store's origin");
        for (String bad : new String[] {"https://apps.example.com", "apps.example.com:8443", "apps example.com", "a/b"}) {
            assertThatThrownBy(() -> settings("https://store.example.com", bad)).as(bad)
                    .hasMessageContaining("WAVESTORE_ROUTER_APPS_DOMAIN");
        }
    }

    @Test
    void onlyThisStoresAppOriginsAreAppOrigins() {
        RouterSettings s = settings("http://127.0.0.1:8080", "apps.localhost");
        assertThat(s.appOriginOf(URI.create("http://apps.localhost:8080/instance/i-1/?a=b")))
                .contains("http://apps.localhost:8080");
        assertThat(s.appOriginOf(URI.create("http://I-1.Apps.Localhost:8080/x"))).contains("http://i-1.apps.localhost:8080");
        for (String other : new String[] {"http://127.0.0.1:8080/", "http://evil.example:8080/", "https://apps.localhost:8080/",
                "http://apps.localhost:8081/", "http://apps.localhost/", "http://a.b.apps.localhost:8080/",
                "http://user@apps.localhost:8080/", "http://xapps.localhost:8080/", "/instance/i-1/"}) {
            assertThat(s.appOriginOf(URI.create(other))).as(other).isEmpty();
        }
        RouterSettings tls = settings("https://store.example.com", "apps.example.com");
        assertThat(tls.appOriginOf(URI.create("https://apps.example.com:443/x"))).contains("https://apps.example.com");
        assertThat(tls.appOriginOf(URI.create("http://apps.example.com/x"))).isEmpty();
    }
}
