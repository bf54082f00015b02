package io.wavestore.testkit;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * Writes real {@code .wave} files for tests: an app.toml, a small Wave app, and real PNG images, plus whatever
 * extra entries a test wants (hostile ones included).
 */
public final class WaveBundleBuilder {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private WaveBundleBuilder() {
    }

    /** A valid ON_DEMAND Wave app with an icon, two screenshots and a README as long description. */
    public static WaveBundleBuilder app(String name, String version) {
        return empty()
                .manifest(appSection(name, version) + """
                        LongDescription = "README.md"

                        [Runtime]
                        Module = "app"
                        """)
                .file("app.py", """
                        from h2o_wave import main, app, Q, ui

                        @app('/')
                        async def serve(q: Q):
                            q.page['hello'] = ui.markdown_card(box='1 1 3 2', title='Hello', content='Hello from Wave')
                            await q.page.save()
                        """)
                .file("requirements.txt", "h2o-wave\n")
                .file("README.md", "# " + name + "\n\nA *small* app.\n")
                .png("static/icon.png", 64, 64, Color.ORANGE)
                .png("static/screenshot1.png", 320, 200, Color.BLUE)
                .png("static/screenshot2.png", 320, 200, Color.GREEN);
    }

    /**
     * The start of an app.toml: its {@code [App]} table with the keys every manifest needs, for name and version (the
     * title and description of a test app), for a test to go on with the keys it is about.
     */
    public static String appSection(String name, String version) {
        return """
                [App]
                Name = "%s"
                Version = "%s"
                Title = "App %s"
                Description = "A small Wave app for tests"
                """.formatted(name, version, name);
    }

    public static WaveBundleBuilder empty() {
        return new WaveBundleBuilder();
    }

    public WaveBundleBuilder manifest(String toml) {
        return file("app.toml", toml);
    }

    public WaveBundleBuilder file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8));
    }

    public WaveBundleBuilder file(String path, byte[] bytes) {
        entries.put(path, bytes);
        return this;
    }

    public WaveBundleBuilder without(String path) {
        entries.remove(path);
        return this;
    }

    public WaveBundleBuilder png(String path, int width, int height, Color color) {
        return file(path, png(width, height, color));
    }

    public static byte[] png(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public Path writeTo(Path file) {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public byte[] bytes() {
        try {
            Path tmp = Files.createTempFile("bundle", ".wave");
            try {
                return Files.readAllBytes(writeTo(tmp));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
