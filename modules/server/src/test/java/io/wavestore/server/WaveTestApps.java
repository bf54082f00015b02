package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.BundlePacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The small Wave apps under {@code src/test/resources/wave-apps/}, packed and started through a store: each app may be
 * packed in either routing mode (the DOMAIN variant is the same app under another name).
 */
final class WaveTestApps {

    static final Path SOURCES = Path.of("src", "test", "resources", "wave-apps");

    private WaveTestApps() {
    }

    /**
     * Packs {@code app} ({@code wave-apps/<app>}) as {@code test.<app>} (BASE_URL) or {@code test.<app>-domain}
     * (DOMAIN) and uploads it for all users; returns its name.
     */
    static String upload(StoreClient client, Path work, String app, boolean domain) throws IOException, InterruptedException {
        Path copy = work.resolve(app + (domain ? "-domain" : ""));
        copyTree(SOURCES.resolve(app), copy);
        String name = "test." + app + (domain ? "-domain" : "");
        if (domain) {
            Path toml = copy.resolve("app.toml");
            Files.writeString(toml, Files.readString(toml)
                    .replace("Name = \"test." + app + "\"", "Name = \"" + name + "\"")
                    .replace("[Runtime]", "[Runtime]\nRoutingMode = \"DOMAIN\""));
        }
        Path wave = work.resolve(name + ".wave");
        BundlePacker.pack(copy, wave);
        var uploaded = client.upload("/api/v1/apps?visibility=ALL_USERS", wave);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
        return name;
    }

    /** Starts an instance of version 1.0.0 of the uploaded app {@code name}; returns the instance as the API shows it. */
    static com.fasterxml.jackson.databind.JsonNode start(StoreClient client, String name)
            throws IOException, InterruptedException {
        var started = client.send("POST", "/api/v1/instances", "{\"app\":\"" + name + "\",\"version\":\"1.0.0\"}");
        assertThat(started.statusCode()).as(started.body()).isBetween(200, 202);
        return StoreClient.json(started);
    }

    /** Waits until the instance runs; a first start installs h2o-wave into its venv (from pip's shared cache). */
    static void awaitRunning(StoreClient client, String id) throws IOException, InterruptedException {
        client.awaitInstance(id, i -> "RUNNING".equals(i.path("phase").asText()), Duration.ofMinutes(4));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
