package io.wavestore.client;

import com.typesafe.config.Config;
import java.time.Duration;

/** The client's settings, from {@code wavestore.client} in its reference.conf. */
public record ClientSettings(Duration requestTimeout, Duration transferTimeout, int maxRetries, String logLevel) {

    public static ClientSettings from(Config config) {
        Config c = config.getConfig("wavestore.client");
        return new ClientSettings(c.getDuration("request-timeout"), c.getDuration("transfer-timeout"),
                c.getInt("max-retries"), c.getString("log-level"));
    }
}
