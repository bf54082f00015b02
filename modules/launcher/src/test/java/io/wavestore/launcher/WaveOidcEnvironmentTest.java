package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WaveOidcEnvironmentTest {

    @Test
    void handsTheStoresSettingsToWavedAsWavesOwnVariables() {
        Map<String, String> waved = WaveOidcEnvironment.forWaved(Map.of(
                "WAVESTORE_APP_OIDC_CLIENT_ID", "wave-apps",
                "WAVESTORE_APP_OIDC_CLIENT_SECRET", "s3cret",
                "WAVESTORE_APP_OIDC_PROVIDER_URL", "http://127.0.0.1:9000/default",
                "WAVESTORE_APP_OIDC_REDIRECT_URL", "http://localhost:8080/instance/i-1/_auth/callback",
                "WAVESTORE_APP_OIDC_SKIP_LOGIN", "true",
                "WAVESTORE_APP_OIDC_END_SESSION_URL", "",
                "WAVESTORE_INSTANCE_TOKEN", "not for waved",
                "PATH", "/usr/bin"));
        assertThat(waved).containsOnly(
                Map.entry("H2O_WAVE_OIDC_CLIENT_ID", "wave-apps"),
                Map.entry("H2O_WAVE_OIDC_CLIENT_SECRET", "s3cret"),
                Map.entry("H2O_WAVE_OIDC_PROVIDER_URL", "http://127.0.0.1:9000/default"),
                Map.entry("H2O_WAVE_OIDC_REDIRECT_URL", "http://localhost:8080/instance/i-1/_auth/callback"),
                Map.entry("H2O_WAVE_OIDC_SKIP_LOGIN", "true"));
    }

    @Test
    void nothingWithoutAClientId() {
        assertThat(WaveOidcEnvironment.forWaved(Map.of("WAVESTORE_APP_OIDC_CLIENT_SECRET", "s3cret"))).isEmpty();
    }

    @Test
    void theAppNeverSeesTheSecret() {
        Map<String, String> launcher = Map.of("WAVESTORE_APP_OIDC_CLIENT_ID", "wave-apps",
                "WAVESTORE_APP_OIDC_CLIENT_SECRET", "s3cret", "PATH", "/usr/bin");
        assertThat(ChildEnvironment.base(launcher, Map.of())).containsOnlyKeys("PATH");
    }
}
