package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Bundles, manifests and images for tests, all made in code. */
final class Fixtures {
    static final String MANIFEST = """
            [App]
            Name = "test-app"
            Version = "1.2.3"
            Title = "Test App"
            LongDescription = "README.md"

            [Runtime]
            Module = "app"
            """;

    private Fixtures() {}

    /** The repository's example app, examples/hello-wave (tests run in the module's directory). */
    static Path helloWave() {
        Path app = Path.of("../../examples/hello-wave").toAbsolutePath().normalize();
        if (!Files.isRegularFile(app.resolve("app.toml"))) {
            throw new IllegalStateException("the example app is missing at " + app);
        }
        return app;
    }

    /** A zip made with java.util.zip, entries in map order. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, content);
    }

    static byte[] png(int width, int height) {
        return image("png", width, height, BufferedImage.TYPE_INT_ARGB);
    }

    static byte[] jpeg(int width, int height) {
        return image("jpeg", width, height, BufferedImage.TYPE_INT_RGB);
    }

    static byte[] gif(int width, int height) {
        return image("gif", width, height, BufferedImage.TYPE_INT_RGB);
    }

    private static byte[] image(String format, int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(254, 200, 56));
        g.fillRect(0, 0, width / 2 + 1, height / 2 + 1);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The header of a lossless WebP (VP8L) image: enough for the probe, which never decodes pixels. */
    static byte[] webpLossless(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put(text("RIFF")).putInt(22).put(text("WEBP")).put(text("VP8L")).putInt(10).put((byte) 0x2F);
        b.putInt((width - 1) | (height - 1) << 14);
        return b.array();
    }

    /** The header of a lossy WebP (VP8) key frame. */
    static byte[] webpLossy(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put(text("RIFF")).putInt(22).put(text("WEBP")).put(text("VP8 ")).putInt(10);
        b.put((byte) 0x10).put((byte) 0).put((byte) 0).put((byte) 0x9D).put((byte) 0x01).put((byte) 0x2A);
        b.putShort((short) width).putShort((short) height);
        return b.array();
    }

    /** The header of an extended WebP (VP8X) image. */
    static byte[] webpExtended(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
        b.put(text("RIFF")).putInt(22).put(text("WEBP")).put(text("VP8X")).putInt(10).putInt(0);
        int w = width - 1;
        int h = height - 1;
        b.put((byte) w).put((byte) (w >> 8)).put((byte) (w >> 16)).put((byte) h).put((byte) (h >> 8))
                .put((byte) (h >> 16));
        return b.array();
    }

    /** Asserts that {@code refused} says {@code error} with a message that contains each of {@code texts}. */
    static BundleException assertRefusal(BundleException refused, BundleError error, String... texts) {
        assertThat(refused).isNotNull();
        assertThat(refused.error()).isEqualTo(error);
        assertThat(refused.getMessage()).contains(texts);
        return refused;
    }
}
