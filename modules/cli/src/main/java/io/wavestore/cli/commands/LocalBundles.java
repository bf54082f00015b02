package io.wavestore.cli.commands;

import io.wavestore.bundle.AppManifest;
import io.wavestore.bundle.BundleException;
import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.BundlePacker;
import io.wavestore.bundle.BundleReader;
import io.wavestore.bundle.FieldViolation;
import io.wavestore.bundle.ManifestParser;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * App folders on this machine: packed with the bundle module's packer (honouring {@code .appignore}) and opened
 * with its reader under the store's default limits, so a folder that passes here is one the store accepts
 * (unless the store is configured stricter, or the app's name belongs to someone else there).
 */
final class LocalBundles {

    /** A packed bundle: its manifest, how many files went in, and where it is. */
    record Packed(AppManifest manifest, int files, Path wave) {
        String summary() {
            return manifest.app().name() + " " + manifest.app().version() + ": " + files + " files, " + size(wave) + " bytes";
        }
    }

    private LocalBundles() {
    }

    /** Packs {@code appDir} into {@code wave}, then opens the result as the store would; nothing is left if refused. */
    static Packed pack(Path appDir, Path wave, List<String> allowedEnv) {
        ManifestPolicy policy = new ManifestPolicy(allowedEnv);
        try {
            parseManifest(appDir, policy);
            BundlePacker.pack(appDir, wave);
            AppManifest manifest = openAsTheStoreWould(wave, policy);
            return new Packed(manifest, BundlePacker.listFiles(appDir).size(), wave);
        } catch (BundleException e) {
            deleteQuietly(wave);
            throw new CliFailure(ExitCodes.INVALID, describe(e));
        } catch (IOException e) {
            deleteQuietly(wave);
            throw new CliFailure(ExitCodes.FAILED, "cannot pack " + appDir + ": " + e.getMessage());
        }
    }

    /** A bundle packed into a temporary file, for commands that upload a folder. */
    static Packed packToTemp(Path appDir, List<String> allowedEnv) {
        try {
            Path wave = Files.createTempFile("wavestore-", ".wave");
            return pack(appDir, wave, allowedEnv);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks app.toml first, so its mistakes show before anything is packed. */
    private static void parseManifest(Path appDir, ManifestPolicy policy) throws BundleException, IOException {
        Path manifest = appDir.resolve(BundleReader.MANIFEST);
        if (!Files.isDirectory(appDir)) {
            throw new CliFailure(ExitCodes.INVALID, appDir + " is not a folder");
        }
        if (!Files.isRegularFile(manifest)) {
            throw new CliFailure(ExitCodes.INVALID, appDir + " has no app.toml");
        }
        String toml;
        try {
            toml = Files.readString(manifest, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new CliFailure(ExitCodes.INVALID, "app.toml is not UTF-8 text");
        }
        new ManifestParser(policy).parse(toml);
    }

    private static AppManifest openAsTheStoreWould(Path wave, ManifestPolicy policy) throws BundleException, IOException {
        Path scratch = Files.createTempDirectory("wavestore-check");
        try {
            return new BundleReader(BundleLimits.defaults(), policy).open(wave, scratch.resolve("app")).manifest();
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                walk.sorted(Comparator.reverseOrder()).forEach(LocalBundles::deleteQuietly);
            }
        }
    }

    /** The same shape as a refusal of the store: the message, the code, one line per invalid field. */
    static String describe(BundleException e) {
        if (e.violations().isEmpty()) {
            return "error: " + e.getMessage() + " [" + e.error().code() + "]";
        }
        StringBuilder s = new StringBuilder("error: app.toml is invalid [" + e.error().code() + "]");
        for (FieldViolation v : e.violations()) {
            s.append("\n  ").append(v.field()).append(": ").append(v.message());
        }
        return s.toString();
    }

    static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a temporary file left in the temp folder: the system cleans it
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
