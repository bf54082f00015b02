package io.wavestore.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.bundle.RuntimeSection;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import io.wavestore.scheduler.runtime.WaveOidc;
import io.wavestore.scheduler.secrets.SecretResolver;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** EnableOIDC apps get Wave's sign-in settings, with the callback on the instance's own origin. */
class InstanceSpecFactoryTest {

    private static final SchedulerSettings SETTINGS = new SchedulerSettings("http://127.0.0.1:1", 10, 10, 10,
            Duration.ofMinutes(1), Duration.ofHours(1), new byte[0]);
    private static final InstanceCredentials CREDENTIALS = new InstanceCredentials(
            "a secret of the tests, long enough".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), Clock.systemUTC());
    private static final AppOidcClient CLIENT = new AppOidcClient("wave-apps", "http://127.0.0.1:9000/default", "", "",
            "openid,profile", true, "wave-apps-oidc", "client-secret", "http://apps.example.com:8080",
            id -> "http://" + id + ".apps.example.com:8080");

    private static AppLookup.AppRuntime app(boolean enableOidc, RoutingMode mode) {
        RuntimeSection runtime = new RuntimeSection(Optional.of("app"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), enableOidc, false, mode, AppMode.WAVE, Optional.empty(), Optional.empty());
        return new AppLookup.AppRuntime("1", "io.test.who", "1.0.0", "olga", InstanceLifecycle.ON_DEMAND, runtime,
                List.of(), List.of(), "0".repeat(64));
    }

    private static InstanceRecord record(String id) {
        return new InstanceRecord(id, "1", "io.test.who", "1.0.0", "olga", true, Visibility.PRIVATE, false, Instant.EPOCH,
                InstanceRecord.ReleaseState.PENDING, 0);
    }

    @Test
    void aBaseUrlAppIsCalledBackUnderItsPathOnTheAppsOrigin() {
        WaveOidc oidc = new InstanceSpecFactory(SETTINGS, CREDENTIALS, SecretResolver.none(), Optional.of(CLIENT))
                .spec(record("i-1"), app(true, RoutingMode.BASE_URL)).launcher().oidc().orElseThrow();
        assertThat(oidc.redirectUrl()).isEqualTo("http://apps.example.com:8080/instance/i-1/_auth/callback");
        assertThat(oidc.clientId()).isEqualTo("wave-apps");
        assertThat(oidc.providerUrl()).isEqualTo("http://127.0.0.1:9000/default");
        assertThat(oidc.secretName()).isEqualTo("wave-apps-oidc");
        assertThat(oidc.launcherEnv()).containsEntry("WAVESTORE_APP_OIDC_SKIP_LOGIN", "true")
                .doesNotContainKey(WaveOidc.CLIENT_SECRET_ENV);
    }

    @Test
    void aDomainAppIsCalledBackOnItsOwnHost() {
        WaveOidc oidc = new InstanceSpecFactory(SETTINGS, CREDENTIALS, SecretResolver.none(), Optional.of(CLIENT))
                .spec(record("i-2"), app(true, RoutingMode.DOMAIN)).launcher().oidc().orElseThrow();
        assertThat(oidc.redirectUrl()).isEqualTo("http://i-2.apps.example.com:8080/_auth/callback");
    }

    @Test
    void anAppWithoutEnableOidcGetsNone() {
        assertThat(new InstanceSpecFactory(SETTINGS, CREDENTIALS, SecretResolver.none(), Optional.of(CLIENT))
                .spec(record("i-3"), app(false, RoutingMode.BASE_URL)).launcher().oidc()).isEmpty();
    }

    @Test
    void anEnableOidcAppIsRefusedWithTheReasonWhenTheStoreHasNoClientForApps() {
        assertThatThrownBy(() -> new InstanceSpecFactory(SETTINGS, CREDENTIALS)
                .spec(record("i-4"), app(true, RoutingMode.BASE_URL)))
                .isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("EnableOIDC").hasMessageContaining("WAVESTORE_APP_OIDC_CLIENT_ID");
    }
}
