package io.wavestore.loadtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds {@code .wave} bundles in memory from the example app: the same files (code, README, icon, screenshot,
 * requirements), with the {@code [App]} identity rewritten so that the catalog can hold many apps and versions of it.
 * A bundle is a plain zip with {@code app.toml} at its root, so the load test needs none of the store's modules.
 */
final class WaveBundles {

    /** Files of the example's folder that never go into a bundle (its .appignore says the same). */
    private static final Pattern IGNORED = Pattern.compile("(^|/)(\\.venv|\\.wave|__pycache__)(/|$)|\\.log$|(^|/)\\.appignore$");

    private final Path appDir;
    private final List<Path> files;
    private final String manifest;

    WaveBundles(Path appDir) {
        this.appDir = appDir;
        try (Stream<Path> walk = Files.walk(appDir)) {
            this.files = walk.filter(Files::isRegularFile)
                    .filter(p -> !IGNORED.matcher(relative(p)).find())
                    .filter(p -> !relative(p).equals("app.toml"))
                    .sorted().collect(Collectors.toList());
            this.manifest = Files.readString(appDir.resolve("app.toml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the example app at " + appDir, e);
        }
    }

    /** The example app exactly as it is. */
    byte[] original() {
        return zip(manifest);
    }

    /** The example app under another name, version, title, description and tags. */
    byte[] as(String name, String version, String title, String description, List<String> tags) {
        String toml = set(manifest, "Name", quote(name));
        toml = set(toml, "Version", quote(version));
        toml = set(toml, "Title", quote(title));
        toml = set(toml, "Description", quote(description));
        String tagList = tags.stream().map(WaveBundles::quote).collect(Collectors.joining(", ", "[", "]"));
        toml = toml.replaceFirst("(?m)^(Version = .*)$", "$1\nTags = " + Matcher.quoteReplacement(tagList));
        return zip(toml);
    }

    private byte[] zip(String appToml) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("app.toml"));
            zip.write(appToml.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            for (Path file : files) {
                zip.putNextEntry(new ZipEntry(relative(file)));
                zip.write(Files.readAllBytes(file));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + appDir, e);
        }
        return out.toByteArray();
    }

    private String relative(Path file) {
        return appDir.relativize(file).toString().replace('\\', '/');
    }

    /** Replaces the value of a top-level key of [App] (the first line that starts with it). */
    private static String set(String toml, String key, String value) {
        Matcher line = Pattern.compile("(?m)^" + key + " = .*$").matcher(toml);
        if (!line.find()) {
            throw new IllegalStateException("the example's app.toml has no '" + key + " = ' line");
        }
        return toml.substring(0, line.start()) + key + " = " + value + toml.substring(line.end());
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
