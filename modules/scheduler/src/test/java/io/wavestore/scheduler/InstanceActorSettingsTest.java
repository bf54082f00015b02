package io.wavestore.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceActorSettingsTest {

    @Test
    void theReferenceKeepsAThousandCommandsWaitingAndAsksAnUnreadableRuntimeAgainAfterTwoSeconds() {
        InstanceActorSettings settings = InstanceActorSettings.from(scheduler(Map.of()));

        assertThat(settings.stashCapacity()).isEqualTo(1000);
        assertThat(settings.loadRetryDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.idle().checkInterval()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void theEnvironmentOverridesBoth() {
        InstanceActorSettings settings = InstanceActorSettings.from(scheduler(Map.of(
                "WAVESTORE_INSTANCE_STASH_CAPACITY", "50", "WAVESTORE_INSTANCE_LOAD_RETRY_DELAY", "250ms")));

        assertThat(settings.stashCapacity()).isEqualTo(50);
        assertThat(settings.loadRetryDelay()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aStashThatHoldsNothingIsRefusedByName() {
        assertThatThrownBy(() -> InstanceActorSettings.from(scheduler(Map.of("WAVESTORE_INSTANCE_STASH_CAPACITY", "0"))))
                .hasMessageContaining("wavestore.scheduler.instance-actor.stash-capacity");
    }

    /** The scheduler's block of the reference configuration, resolved against these environment variables. */
    private static Config scheduler(Map<String, String> environment) {
        return ConfigFactory.defaultReferenceUnresolved().withFallback(ConfigFactory.parseMap(environment)).resolve()
                .getConfig(InstanceActorSettings.CONFIG_PATH);
    }
}
