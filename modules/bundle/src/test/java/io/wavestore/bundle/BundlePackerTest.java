package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundlePackerTest {
    @TempDir
    Path tmp;

    private Path app() throws IOException {
        Path dir = tmp.resolve("my-app");
        Fixtures.write(dir.resolve("app.toml"), Fixtures.text(Fixtures.MANIFEST));
        Fixtures.write(dir.resolve("README.md"), Fixtures.text("# My app\n"));
        Fixtures.write(dir.resolve("app.py"), Fixtures.text("from h2o_wave import main, app, Q, ui\n"));
        Fixtures.write(dir.resolve("static/icon.png"), Fixtures.png(16, 16));
        Fixtures.write(dir.resolve("lib/helpers.py"), Fixtures.text("X = 1\n"));
        return dir;
    }

    @Test
    void honoursAppIgnoreAndAlwaysSkipsCaches() throws IOException {
        Path dir = app();
        Fixtures.write(dir.resolve(".appignore"), Fixtures.text(String.join("\n",
                "# local stuff", "*.log", "data/", "/notes.md", "!keep.log", "secrets/**")));
        for (String junk : List.of("debug.log", "lib/trace.log", "data/big.csv", "notes.md", "secrets/a/key.pem",
                ".git/HEAD", "__pycache__/app.cpython-311.pyc", "lib/__pycache__/x.pyc", "old.pyc")) {
            Fixtures.write(dir.resolve(junk), Fixtures.text("junk"));
        }
        Fixtures.write(dir.resolve("keep.log"), Fixtures.text("kept"));
        Fixtures.write(dir.resolve("lib/notes.md"), Fixtures.text("kept: /notes.md is anchored"));

        assertThat(BundlePacker.listFiles(dir)).containsExactly(".appignore", "README.md", "app.py", "app.toml",
                "keep.log", "lib/helpers.py", "lib/notes.md", "static/icon.png");
    }

    @Test
    void packsTheSameDirectoryToTheSameBytes() throws IOException {
        Path dir = app();
        Path first = tmp.resolve("first.wave");
        Path second = tmp.resolve("second.wave");
        BundlePacker.pack(dir, first);
        // Modification times and creation order must not matter.
        Files.setLastModifiedTime(dir.resolve("app.py"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        Files.delete(dir.resolve("lib/helpers.py"));
        Fixtures.write(dir.resolve("lib/helpers.py"), Fixtures.text("X = 1\n"));
        BundlePacker.pack(dir, second);
        assertThat(Files.readAllBytes(second)).isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void writesSortedEntriesWithAFixedTimestamp() throws IOException {
        Path wave = tmp.resolve("a.wave");
        BundlePacker.pack(app(), wave);
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(wave.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                names.add(entry.getName());
                assertThat(entry.getTimeLocal()).isEqualTo(BundlePacker.ENTRY_TIME);
            }
        }
        assertThat(names).isSorted().contains("app.toml", "static/icon.png");
    }

    @Test
    void roundTripsThroughTheReader() throws Exception {
        Path wave = tmp.resolve("out/a.wave");
        BundlePacker.pack(app(), wave);
        OpenedBundle b = new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults())
                .open(wave, tmp.resolve("extracted"));
        assertThat(b.manifest().app().name()).isEqualTo("test-app");
        assertThat(b.longDescription()).contains("# My app\n");
        assertThat(b.icon().orElseThrow().width()).isEqualTo(16);
        assertThat(b.root().resolve("lib/helpers.py")).hasContent("X = 1");
    }

    @Test
    void skipsTheOutputFileInsideTheDirectory() throws IOException {
        Path dir = app();
        Path wave = dir.resolve("my-app.wave");
        BundlePacker.pack(dir, wave);
        BundlePacker.pack(dir, wave);
        try (ZipFile zip = new ZipFile(wave.toFile())) {
            assertThat(zip.getEntry("my-app.wave")).isNull();
        }
        try (var files = Files.list(dir)) {
            assertThat(files).noneMatch(p -> p.getFileName().toString().endsWith(".partial"));
        }
    }

    @Test
    void refusesSymlinksLeadingOutside() throws IOException {
        Path dir = app();
        Path outside = Fixtures.write(tmp.resolve("outside/secret.txt"), Fixtures.text("secret"));
        assumeTrue(trySymlink(dir.resolve("secret.txt"), outside));
        assertThatThrownBy(() -> BundlePacker.pack(dir, tmp.resolve("a.wave"))).isInstanceOf(IOException.class)
                .hasMessageContaining("'secret.txt' is a symbolic link to").hasMessageContaining("outside the app");
        assertThat(tmp.resolve("a.wave")).doesNotExist();

        Files.delete(dir.resolve("secret.txt"));
        Files.createSymbolicLink(dir.resolve("shared"), outside.getParent());
        assertThatThrownBy(() -> BundlePacker.listFiles(dir)).hasMessageContaining("'shared' is a symbolic link");

        // An ignored link is never followed, so it is no problem.
        Fixtures.write(dir.resolve(".appignore"), Fixtures.text("shared\n"));
        assertThat(BundlePacker.listFiles(dir)).doesNotContain("shared");
    }

    @Test
    void packsSymlinksInsideAsTheirTargets() throws Exception {
        Path dir = app();
        assumeTrue(trySymlink(dir.resolve("helpers_link.py"), dir.resolve("lib/helpers.py")));
        Files.createSymbolicLink(dir.resolve("lib2"), dir.resolve("lib"));
        Path wave = tmp.resolve("a.wave");
        BundlePacker.pack(dir, wave);
        OpenedBundle b = new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults())
                .open(wave, tmp.resolve("x"));
        assertThat(b.root().resolve("helpers_link.py")).isRegularFile().hasContent("X = 1");
        assertThat(b.root().resolve("lib2/helpers.py")).isRegularFile().hasContent("X = 1");
    }

    @Test
    void refusesLinkLoopsAndBrokenLinks() throws IOException {
        Path dir = app();
        assumeTrue(trySymlink(dir.resolve("lib/loop"), dir.resolve("lib")));
        assertThatThrownBy(() -> BundlePacker.listFiles(dir)).hasMessageContaining("loops back");
        Files.delete(dir.resolve("lib/loop"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> BundlePacker.listFiles(dir)).hasMessageContaining("'dangling' is a broken symbolic link");
    }

    @Test
    void needsAnAppToml() throws IOException {
        Path dir = app();
        Files.delete(dir.resolve("app.toml"));
        assertThatThrownBy(() -> BundlePacker.pack(dir, tmp.resolve("a.wave"))).hasMessageContaining("no app.toml");
        assertThatThrownBy(() -> BundlePacker.pack(tmp.resolve("missing"), tmp.resolve("a.wave")))
                .hasMessageContaining("is not a directory");
    }

    @Test
    void packsTheExampleApp() throws Exception {
        Path wave = tmp.resolve("hello-wave.wave");
        BundlePacker.pack(Fixtures.helloWave(), wave);
        OpenedBundle b = new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults())
                .open(wave, tmp.resolve("hello"));
        assertThat(b.manifest().app().name()).isEqualTo("io.wavestore.hello-wave");
        assertThat(b.manifest().runtime().module()).contains("app");
        assertThat(b.icon().orElseThrow().mediaType()).isEqualTo("image/png");
        assertThat(b.screenshots()).extracting(BundleImage::path).containsExactly("static/screenshot1.png");
        assertThat(b.longDescription().orElseThrow()).startsWith("# Hello Wave");
        assertThat(b.requirements().orElseThrow()).content().contains("h2o-wave");
        assertThat(b.root().resolve("app.py")).content().contains("from h2o_wave import main, app, Q, ui");
    }

    private static boolean trySymlink(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
