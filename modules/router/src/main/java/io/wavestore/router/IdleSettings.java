package io.wavestore.router;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The router's part in idle suspension and wake on visit: the {@code wavestore.router.idle} block of the
 * configuration (defaults in reference.conf).
 *
 * @param reportInterval how often this replica tells instance actors what it saw of their use
 * @param webSocketGrace how long an open WebSocket whose browser sends nothing still counts as use
 * @param wakeHoldTimeout how long a request (not a browser's page) for an instance being woken is held before 503
 */
public record IdleSettings(Duration reportInterval, Duration webSocketGrace, Duration wakeHoldTimeout) {

    public static IdleSettings from(Config idle) {
        return new IdleSettings(idle.getDuration("report-interval"), idle.getDuration("websocket-grace"),
                idle.getDuration("wake-hold-timeout"));
    }
}
