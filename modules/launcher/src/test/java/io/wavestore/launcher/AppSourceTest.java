package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.bundle.OpenedBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSourceTest {
    @TempDir
    Path tmp;

    private Path bundle(String module) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src-" + module));
        Files.writeString(src.resolve("app.toml"), "[App]\nName = \"io.example.a\"\nVersion = \"1.0.0\"\n"
                + "[Runtime]\nModule = \"" + module + "\"\n[[Env]]\nName = \"H2O_WAVE_MAX_REQUEST_SIZE\"\n"
                + "Value = \"20M\"\n");
        Files.writeString(src.resolve(module + ".py"), "print('hi')\n");
        Path wave = tmp.resolve(module + ".wave");
        BundlePacker.pack(src, wave);
        return wave;
    }

    @Test
    void unpacksAndOnRestartReplacesWhatItUnpackedBefore() throws Exception {
        Path work = tmp.resolve("instance/app");
        OpenedBundle first = AppSource.unpack(bundle("one"), work, BundleLimits.defaults());
        assertThat(first.manifest().runtime().module()).as("reserved env names the store allowed are accepted")
                .contains("one");
        Files.writeString(work.resolve("written-by-the-app.txt"), "x");

        OpenedBundle second = AppSource.unpack(bundle("two"), work, BundleLimits.defaults());
        assertThat(second.manifest().runtime().module()).contains("two");
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app.toml", "two.py");
        }
    }

    @Test
    void aFullDirectoryTheLauncherDidNotMakeIsLeftAlone() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("someone/home"));
        Files.writeString(work.resolve("precious.txt"), "x");
        assertThatThrownBy(() -> AppSource.unpack(bundle("one"), work, BundleLimits.defaults()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("not empty and was not made by the launcher");
        assertThat(work.resolve("precious.txt")).exists();
    }

    @Test
    void aRefusedBundleSaysWhy() throws Exception {
        Path notAZip = Files.writeString(tmp.resolve("x.wave"), "hello");
        assertThatThrownBy(() -> AppSource.unpack(notAZip, tmp.resolve("i/app"), BundleLimits.defaults()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("not-a-zip");
    }

    @Test
    void emptyingKeepsWhatItIsToldToKeep() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("venv"));
        Files.createDirectories(dir.resolve("lib/python3.11/site-packages"));
        Files.writeString(dir.resolve("lib/python3.11/site-packages/x.py"), "");
        Files.writeString(dir.resolve(".wavestore-venv.lock"), "");
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "keep");
        Files.createSymbolicLink(dir.resolve("link"), outside);
        AppSource.emptyDirectory(dir, List.of(".wavestore-venv.lock"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(".wavestore-venv.lock");
        }
        assertThat(outside).hasContent("keep");
    }
}
