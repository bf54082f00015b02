package io.wavestore.scheduler;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The {@code wavestore.scheduler} block of the configuration, typed. Defaults live in reference.conf. */
public record SchedulerSettings(
        String publicUrl,
        int maxInstancesPerUser,
        int maxInstancesPerVisitor,
        int maxConcurrentStarts,
        Duration startReservation,
        Duration credentialTtl,
        byte[] credentialSecret) {

    public static SchedulerSettings from(Config scheduler) {
        String secret = scheduler.getString("credential-secret");
        return new SchedulerSettings(
                stripTrailingSlash(scheduler.getString("public-url")),
                scheduler.getInt("limits.instances-per-user"),
                scheduler.getInt("limits.instances-per-visitor"),
                scheduler.getInt("limits.concurrent-starts"),
                scheduler.getDuration("limits.start-reservation"),
                scheduler.getDuration("credential-ttl"),
                secret.getBytes(StandardCharsets.UTF_8));
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
