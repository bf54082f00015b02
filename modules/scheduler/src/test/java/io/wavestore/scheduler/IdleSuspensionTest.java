package io.wavestore.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.wavestore.bundle.AppSection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IdleSuspensionTest {

    private static IdleSuspension settings(String defaultTimeout, String maximum) {
        return IdleSuspension.from(ConfigFactory.parseMap(Map.of("default-timeout", defaultTimeout,
                "maximum-timeout", maximum, "check-interval", "15s")));
    }

    @Test
    void anAppWithoutATimeoutGetsTheStoresDefault() {
        assertThat(settings("2h", "-1").effective(Optional.empty())).contains(Duration.ofHours(2));
        assertThat(settings("-1", "-1").effective(Optional.empty())).isEmpty();
    }

    @Test
    void theAppsOwnTimeoutWinsUnlessItIsAboveTheMaximum() {
        assertThat(settings("2h", "-1").effective(Optional.of(Duration.ofMinutes(1)))).contains(Duration.ofMinutes(1));
        assertThat(settings("2h", "-1").effective(Optional.of(Duration.ofDays(3)))).contains(Duration.ofDays(3));
        assertThat(settings("2h", "8h").effective(Optional.of(Duration.ofDays(3)))).contains(Duration.ofHours(8));
    }

    @Test
    void minusOneIsNeverUnlessTheStoreHasAMaximum() {
        assertThat(settings("2h", "-1").effective(Optional.of(AppSection.TIMEOUT_OFF))).isEmpty();
        assertThat(settings("2h", "8h").effective(Optional.of(AppSection.TIMEOUT_OFF))).contains(Duration.ofHours(8));
    }

    @Test
    void aZeroTimeoutInTheSettingsIsRefused() {
        assertThatThrownBy(() -> settings("0s", "-1")).hasMessageContaining("default-timeout must be longer than zero");
    }

    @Test
    void theShippedDefaultsReadBack() {
        IdleSuspension shipped = IdleSuspension.from(ConfigFactory.load().getConfig("wavestore.scheduler.idle"));
        assertThat(shipped.defaultTimeout()).contains(Duration.ofHours(2));
        assertThat(shipped.maximum()).isEmpty();
    }
}
