package io.wavestore.server;

import com.typesafe.config.Config;
import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.identity.IdentitySettings;
import io.wavestore.scheduler.ConfigLists;
import java.nio.file.Path;
import java.time.Duration;

/** The {@code wavestore} block of the configuration, typed. Defaults live in reference.conf. */
public record ServerSettings(
        Path dataDir,
        String httpHost,
        int httpPort,
        Duration askTimeout,
        Duration shutdownDeadline,
        Duration headerReadTimeout,
        long maxUploadBytes,
        IdentitySettings identity,
        BundleLimits bundleLimits,
        ManifestPolicy manifestPolicy,
        Duration orphanInterval,
        Duration orphanGrace,
        Config database,
        Config blob) {

    public static ServerSettings from(Config root) {
        Config c = root.getConfig("wavestore");
        Config bundle = c.getConfig("bundle");
        BundleLimits limits = new BundleLimits(
                bundle.getInt("max-entries"),
                bundle.getBytes("max-uncompressed-bytes"),
                bundle.getBytes("max-entry-bytes"),
                bundle.getDouble("max-compression-ratio"),
                bundle.getBytes("max-image-bytes"),
                bundle.getInt("max-image-pixels"),
                bundle.getInt("max-screenshots"),
                bundle.getBytes("max-long-description-bytes"));
        return new ServerSettings(
                Path.of(c.getString("data-dir")).toAbsolutePath(),
                c.getString("http.host"),
                c.getInt("http.port"),
                c.getDuration("http.ask-timeout"),
                c.getDuration("http.shutdown-deadline"),
                c.getDuration("http.header-read-timeout"),
                c.getBytes("upload.max-bytes"),
                IdentitySettings.from(root),
                limits,
                new ManifestPolicy(ConfigLists.stringList(bundle, "allowed-reserved-env")),
                c.getDuration("catalog.orphan-collection.interval"),
                c.getDuration("catalog.orphan-collection.grace"),
                c.getConfig("database"),
                c.getConfig("blob"));
    }
}
