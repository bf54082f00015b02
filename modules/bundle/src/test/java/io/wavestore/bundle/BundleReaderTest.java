package io.wavestore.bundle;

import static io.wavestore.bundle.Fixtures.assertRefusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleReaderTest {
    @TempDir
    Path tmp;

    private final BundleReader reader = new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults());

    private static Map<String, byte[]> bundle() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("app.toml", Fixtures.text(Fixtures.MANIFEST));
        entries.put("README.md", Fixtures.text("\uFEFF# Test App\n\nDoes things. Ünïcödé welcome.\n"));
        entries.put("app.py", Fixtures.text("from h2o_wave import main, app, Q, ui\n"));
        entries.put("requirements.txt", Fixtures.text("h2o-wave\n"));
        entries.put("packages.txt", Fixtures.text("libgomp1\n"));
        entries.put("static/", new byte[0]);
        entries.put("static/icon.png", Fixtures.png(64, 64));
        entries.put("static/screenshot10.png", Fixtures.png(30, 10));
        entries.put("static/screenshot2.jpg", Fixtures.jpeg(20, 10));
        entries.put("static/screenshot1.webp", Fixtures.webpLossless(10, 10));
        entries.put("static/Screenshot3.gif", Fixtures.gif(5, 5));
        entries.put("static/style.css", Fixtures.text("body {}"));
        entries.put("static/old/screenshot0.png", Fixtures.text("not looked at: only static/ itself counts"));
        entries.put("src/lib/util.py", Fixtures.text("X = 1\n"));
        return entries;
    }

    @Test
    void opensAValidBundle() throws Exception {
        Path wave = Fixtures.write(tmp.resolve("app.wave"), Fixtures.zip(bundle()));
        OpenedBundle b = reader.open(wave, tmp.resolve("x/extracted"));

        Path root = tmp.resolve("x/extracted").toRealPath();
        assertThat(b.root()).isEqualTo(root);
        assertThat(b.manifest().app().name()).isEqualTo("test-app");
        assertThat(b.longDescription()).contains("# Test App\n\nDoes things. Ünïcödé welcome.\n");
        assertThat(b.requirements()).contains(root.resolve("requirements.txt"));
        assertThat(b.packages()).contains(root.resolve("packages.txt"));
        assertThat(root.resolve("src/lib/util.py")).hasContent("X = 1");

        BundleImage icon = b.icon().orElseThrow();
        assertThat(icon.path()).isEqualTo("static/icon.png");
        assertThat(icon.mediaType()).isEqualTo("image/png");
        assertThat(icon.file()).isEqualTo(root.resolve("static/icon.png")).exists();
        assertThat(icon.size()).isEqualTo(Files.size(icon.file()));
        assertThat(icon.width()).isEqualTo(64);
        assertThat(icon.height()).isEqualTo(64);

        assertThat(b.screenshots()).extracting(BundleImage::path).containsExactly("static/screenshot1.webp",
                "static/screenshot2.jpg", "static/Screenshot3.gif", "static/screenshot10.png");
        assertThat(b.screenshots()).extracting(BundleImage::mediaType)
                .containsExactly("image/webp", "image/jpeg", "image/gif", "image/png");
        assertThat(b.screenshots().get(3).width()).isEqualTo(30);
    }

    @Test
    void optionalPartsMayBeMissing() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("app.toml", Fixtures.text(ManifestParserTest.APP + ManifestParserTest.RUNTIME));
        entries.put("app.py", Fixtures.text("x"));
        OpenedBundle b = reader.open(Fixtures.write(tmp.resolve("a.wave"), Fixtures.zip(entries)), tmp.resolve("o"));
        assertThat(b.icon()).isEmpty();
        assertThat(b.screenshots()).isEmpty();
        assertThat(b.longDescription()).isEmpty();
        assertThat(b.requirements()).isEmpty();
        assertThat(b.packages()).isEmpty();
    }

    @Test
    void readManifestChecksWithoutExtracting() throws Exception {
        Path wave = Fixtures.write(tmp.resolve("app.wave"), Fixtures.zip(bundle()));
        assertThat(reader.readManifest(wave).app().version()).isEqualTo("1.2.3");
        try (var files = Files.list(tmp)) {
            assertThat(files).containsExactly(wave);
        }
    }

    @Test
    void refusesSeveralIcons() throws Exception {
        Map<String, byte[]> entries = bundle();
        entries.put("static/icon.jpg", Fixtures.jpeg(10, 10));
        assertRefusal(refuse(entries), BundleError.INVALID_IMAGE, "several icons (static/icon.jpg, static/icon.png)");
    }

    @Test
    void refusesAnSvgIcon() throws Exception {
        Map<String, byte[]> entries = bundle();
        entries.remove("static/icon.png");
        entries.put("static/icon.svg", Fixtures.text("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"));
        assertRefusal(refuse(entries), BundleError.INVALID_IMAGE, "'static/icon.svg' is an SVG image");
    }

    @Test
    void refusesAScreenshotThatIsNotAnImage() throws Exception {
        Map<String, byte[]> entries = bundle();
        entries.put("static/screenshot4.png", Fixtures.text("<html>"));
        assertThat(refuse(entries).getMessage()).contains("'static/screenshot4.png' is not a PNG, JPEG, GIF or WebP");
    }

    @Test
    void refusesTooManyScreenshots() throws Exception {
        Map<String, byte[]> entries = bundle();
        for (int i = 20; i < 27; i++) {
            entries.put("static/screenshot" + i + ".png", Fixtures.png(4, 4));
        }
        BundleException e = refuse(entries);
        assertThat(e.error()).isEqualTo(BundleError.TOO_MANY_SCREENSHOTS);
        assertThat(e.getMessage()).contains("11 screenshots; at most 10");
    }

    @Test
    void refusesImagesOverTheConfiguredLimits() throws Exception {
        BundleLimits d = BundleLimits.defaults();
        BundleLimits smallImages = new BundleLimits(d.maxEntries(), d.maxUncompressedBytes(), d.maxEntryBytes(),
                d.maxCompressionRatio(), d.maxImageBytes(), 32 * 32, d.maxScreenshots(), d.maxLongDescriptionBytes());
        Path wave = Fixtures.write(tmp.resolve("a.wave"), Fixtures.zip(bundle()));
        BundleException e = catchThrowableOfType(BundleException.class,
                () -> new BundleReader(smallImages, ManifestPolicy.defaults())
                .open(wave, tmp.resolve("o")));
        assertThat(e.error()).isEqualTo(BundleError.INVALID_IMAGE);
        assertThat(e.getMessage()).contains("static/icon.png", "64x64 pixels");

        BundleLimits tinyFiles = new BundleLimits(d.maxEntries(), d.maxUncompressedBytes(), d.maxEntryBytes(),
                d.maxCompressionRatio(), 20, d.maxImagePixels(), d.maxScreenshots(), d.maxLongDescriptionBytes());
        e = catchThrowableOfType(BundleException.class, () -> new BundleReader(tinyFiles, ManifestPolicy.defaults())
                .open(wave, tmp.resolve("o")));
        assertThat(e.error()).isEqualTo(BundleError.INVALID_IMAGE);
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void refusesALongDescriptionThatIsTooLongOrNotText() throws Exception {
        Map<String, byte[]> entries = bundle();
        entries.put("README.md", Fixtures.text("x".repeat(256 * 1024 + 1)));
        assertRefusal(refuse(entries), BundleError.INVALID_LONG_DESCRIPTION, "at most 262144");

        entries.put("README.md", new byte[] {'#', ' ', (byte) 0xC0, (byte) 0x80});
        assertThat(refuse(entries).getMessage()).contains("'README.md' is not UTF-8 text");
        entries.put("README.md", new byte[] {'#', 0, 1, 2});
        assertThat(refuse(entries).getMessage()).contains("binary");
    }

    @Test
    void refusesALongDescriptionThatIsAFolder() throws Exception {
        Map<String, byte[]> entries = bundle();
        entries.remove("README.md");
        entries.put("README.md/", new byte[0]);
        assertThat(refuse(entries).error()).isEqualTo(BundleError.MISSING_FILE);
    }

    private BundleException refuse(Map<String, byte[]> entries) throws Exception {
        Path wave = Fixtures.write(tmp.resolve("bad.wave"), Fixtures.zip(entries));
        Path out = tmp.resolve("refused");
        BundleException e = catchThrowableOfType(BundleException.class, () -> reader.open(wave, out));
        assertThat(e).isNotNull();
        assertThat(out).doesNotExist();
        return e;
    }
}
