package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PackCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void packsTheExampleApp() {
        Path wave = tmp.resolve("hello-wave.wave");
        assertThat(run(Fixtures.helloWave().toString(), wave.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("packed io.wavestore.hello-wave 0.1.0: 7 files");
        assertThat(wave).exists();
    }

    @Test
    void printsEveryManifestProblemAndPacksNothing() throws Exception {
        Path dir = tmp.resolve("bad");
        Fixtures.write(dir.resolve("app.toml"),
                Fixtures.text("[App]\nName = \"Bad Name\"\n[[Env]]\nName = \"H2O_WAVE_X\"\nValue = \"1\"\n"));
        Path wave = tmp.resolve("bad.wave");
        assertThat(run(dir.toString(), wave.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error [invalid-manifest]", "App.Name:", "App.Version: is required",
                "Runtime.Module:", "Env[0].Name:");
        assertThat(wave).doesNotExist();
    }

    @Test
    void allowsReservedEnvNamesWhenAsked() throws Exception {
        Path dir = tmp.resolve("env");
        Fixtures.write(dir.resolve("app.toml"), Fixtures.text(ManifestParserTest.APP + ManifestParserTest.RUNTIME
                + "[[Env]]\nName = \"H2O_WAVE_X\"\nValue = \"1\"\n"));
        Fixtures.write(dir.resolve("app.py"), Fixtures.text("X = 1\n"));
        assertThat(run("--allow-env", "H2O_WAVE_*", dir.toString(), tmp.resolve("e.wave").toString()))
                .as(err.toString()).isZero();
    }

    @Test
    void refusesABundleTheStoreWouldRefuse() throws Exception {
        Path dir = tmp.resolve("svg");
        Fixtures.write(dir.resolve("app.toml"), Fixtures.text(ManifestParserTest.APP + ManifestParserTest.RUNTIME));
        Fixtures.write(dir.resolve("static/icon.svg"), Fixtures.text("<svg/>"));
        Path wave = tmp.resolve("svg.wave");
        assertThat(run(dir.toString(), wave.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("error [invalid-image]", "SVG");
        assertThat(wave).doesNotExist();
    }

    @Test
    void explainsUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--bogus", "a", "b")).isEqualTo(2);
        assertThat(err.toString()).contains("usage: PackCommand");
        assertThat(run(tmp.resolve("nope").toString(), tmp.resolve("x.wave").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("has no app.toml");
    }
}
