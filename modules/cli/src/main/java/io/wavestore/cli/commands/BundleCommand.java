package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.output.TransferProgress;
import io.wavestore.cli.output.Views;
import io.wavestore.client.model.App;
import io.wavestore.client.model.Instance;
import io.wavestore.client.model.Visibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bundle", description = {
        "Pack an app folder into a .wave bundle, honouring .appignore.",
        "`bundle test` checks a folder as the store would, `bundle import` uploads, `bundle deploy` uploads and runs."})
public final class BundleCommand extends StoreCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "FOLDER", description = "The app folder, holding app.toml (default: .).")
    Path folder = Path.of(".");

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where the bundle goes (default: NAME-VERSION.wave).")
    Path output;

    @Option(names = "--allow-env", paramLabel = "NAME", description = "Allow a reserved environment variable name or prefix.")
    List<String> allowEnv = List.of();

    @Override
    public Integer call() {
        LocalBundles.Packed packed = LocalBundles.packToTemp(folder, allowEnv);
        String name = packed.manifest().app().name();
        String version = packed.manifest().app().version();
        Path wave = move(packed.wave(), output != null ? output : Path.of(name + "-" + version + ".wave"));
        return show(new PackResult(name, version, packed.files(), wave.toString()),
                r -> "packed " + packed.summary() + " -> " + r.file() + "\n");
    }

    /** What `bundle` and `bundle test` print with --json. */
    record PackResult(String name, String version, int files, String file) {
    }

    @Command(name = "test", description = "Check a folder as the store would (app.toml, files, images, limits) without uploading.")
    int test(@Parameters(arity = "0..1", paramLabel = "FOLDER", defaultValue = ".") Path dir,
            @Option(names = "--allow-env", paramLabel = "NAME") List<String> allowedEnv) {
        LocalBundles.Packed packed = LocalBundles.packToTemp(dir, allowedEnv == null ? List.of() : allowedEnv);
        try {
            root().print(new PackResult(packed.manifest().app().name(), packed.manifest().app().version(), packed.files(),
                    null), r -> "ok: " + packed.summary() + "\n");
        } finally {
            LocalBundles.deleteQuietly(packed.wave());
        }
        return ExitCodes.OK;
    }

    @Command(name = "import", description = "Upload a .wave file, or a folder packed on the way.")
    int importBundle(@Parameters(paramLabel = "FILE_OR_FOLDER") Path source,
            @Option(names = "--visibility", description = "${COMPLETION-CANDIDATES} (default: PRIVATE).") Visibility visibility) {
        App app = upload(source, visibility);
        return show(app, Views::app);
    }

    @Command(name = "deploy", description = "Upload a .wave file or a folder, start an instance of it and follow it until it runs.")
    int deploy(@Parameters(paramLabel = "FILE_OR_FOLDER") Path source,
            @Option(names = "--visibility", description = "Of the app version: ${COMPLETION-CANDIDATES} (default: PRIVATE).")
            Visibility visibility,
            @Option(names = "--no-wait", description = "Return once started instead of following the start.") boolean noWait,
            @Option(names = "--timeout", defaultValue = "PT10M", description = "How long to wait (default: ${DEFAULT-VALUE}).")
            Duration timeout) {
        App app = upload(source, visibility);
        Instance started = client().run(app.name(), app.version(), null);
        root().say("started " + started.id());
        return show(noWait ? started : StartWatch.untilRunning(root(), started, timeout), Views::instance);
    }

    private App upload(Path source, Visibility visibility) {
        if (!Files.isDirectory(source)) {
            return uploadFile(source, visibility);
        }
        LocalBundles.Packed packed = LocalBundles.packToTemp(source, allowEnv);
        try {
            root().say("packed " + packed.summary());
            return uploadFile(packed.wave(), visibility);
        } finally {
            LocalBundles.deleteQuietly(packed.wave());
        }
    }

    private App uploadFile(Path wave, Visibility visibility) {
        if (!Files.isRegularFile(wave)) {
            throw new CliFailure(ExitCodes.INVALID, wave + " is neither a .wave file nor an app folder");
        }
        App app = client().upload(wave, visibility, TransferProgress.of(root(), "uploading"));
        root().say("imported " + app.name() + " " + app.version() + " (" + app.visibility() + ")");
        return app;
    }

    private static Path move(Path from, Path to) {
        try {
            return Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LocalBundles.deleteQuietly(from);
            throw new UncheckedIOException(e);
        }
    }
}
