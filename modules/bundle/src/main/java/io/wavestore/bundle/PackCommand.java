package io.wavestore.bundle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Command line: {@code java -cp ... io.wavestore.bundle.PackCommand [--allow-env PATTERN]... <app-dir> <out.wave>}.
 * Checks app.toml first (so mistakes show before anything is written), packs, then opens the result exactly
 * as the store will, so a bundle that leaves this command is one the store accepts with default limits.
 * Exit codes: 0 packed, 1 refused (the reasons are printed), 2 wrong usage.
 */
public final class PackCommand {
    private PackCommand() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            // Only on failure, so that running it inside another JVM (mvn exec:java) ends normally on success.
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> allowedEnv = new ArrayList<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--allow-env") && i + 1 < args.length) {
                allowedEnv.add(args[++i]);
            } else if (args[i].startsWith("-")) {
                return usage(err);
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() != 2) {
            return usage(err);
        }
        Path appDir = Path.of(positional.get(0));
        Path waveFile = Path.of(positional.get(1));
        ManifestPolicy policy = new ManifestPolicy(allowedEnv);
        try {
            Path manifestFile = appDir.resolve(BundleReader.MANIFEST);
            if (!Files.isRegularFile(manifestFile)) {
                err.println("error: " + appDir + " has no app.toml");
                return 1;
            }
            String toml;
            try {
                toml = Files.readString(manifestFile, StandardCharsets.UTF_8);
            } catch (CharacterCodingException e) {
                err.println("error [" + BundleError.UNPARSABLE_MANIFEST.code() + "]: app.toml is not UTF-8 text");
                return 1;
            }
            new ManifestParser(policy).parse(toml);
            BundlePacker.pack(appDir, waveFile);
            AppManifest manifest = verify(waveFile, policy);
            int files = BundlePacker.listFiles(appDir).size();
            out.printf("packed %s %s: %d files, %d bytes -> %s%n", manifest.app().name(), manifest.app().version(),
                    files, Files.size(waveFile), waveFile);
            return 0;
        } catch (BundleException e) {
            err.println("error [" + e.error().code() + "]: " + e.getMessage());
            return 1;
        } catch (IOException | RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Opens the new bundle into a scratch directory, removing the bundle if the store would refuse it. */
    private static AppManifest verify(Path waveFile, ManifestPolicy policy) throws BundleException, IOException {
        Path scratch = Files.createTempDirectory("wave-pack-check");
        try {
            return new BundleReader(BundleLimits.defaults(), policy).open(waveFile, scratch.resolve("app")).manifest();
        } catch (BundleException e) {
            Files.deleteIfExists(waveFile);
            throw e;
        } finally {
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: PackCommand [--allow-env PATTERN]... <app-dir> <out.wave>");
        err.println("  packs <app-dir> (which holds app.toml) into a .wave bundle, honouring .appignore;");
        err.println("  --allow-env allows a reserved environment variable name or prefix (e.g. H2O_WAVE_*)");
        return 2;
    }
}
