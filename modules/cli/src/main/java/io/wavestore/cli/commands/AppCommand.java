package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.output.TransferProgress;
import io.wavestore.cli.output.Views;
import io.wavestore.client.model.App;
import io.wavestore.client.model.AppQuery;
import io.wavestore.client.model.Instance;
import io.wavestore.client.model.Visibility;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "app", description = "The catalog's app versions: list, show, run, change, delete, download.")
public final class AppCommand extends StoreCommand {

    @Command(name = "list", description = "List the newest version of every app you may see (--all-versions: every version).")
    int list(@Option(names = "--name") String name, @Option(names = "--tag") String tag,
            @Option(names = "--owner") String owner, @Option(names = {"-s", "--search"}, paramLabel = "TEXT") String text,
            @Option(names = "--all-versions") boolean allVersions,
            @Option(names = "--limit", defaultValue = "50") int limit, @Option(names = "--offset", defaultValue = "0") int offset) {
        AppQuery query = AppQuery.all().withName(name).withTag(tag).withOwner(owner).withText(text)
                .withLatest(!allVersions).withPage(limit, offset);
        return show(client().apps(query), Views::apps);
    }

    @Command(name = "get", description = "Show an app version (default: the newest).")
    int get(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION") String version) {
        return show(resolve(name, version), Views::app);
    }

    @Command(name = "run", description = "Start an instance of an app version (default: the newest) and follow it until it runs.")
    int run(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION") String version,
            @Option(names = "--visibility", description = "Who may use the instance: ${COMPLETION-CANDIDATES}.") Visibility visibility,
            @Option(names = "--no-wait", description = "Return once started instead of following the start.") boolean noWait,
            @Option(names = "--timeout", defaultValue = "PT10M", description = "How long to wait (default: ${DEFAULT-VALUE}).")
            Duration timeout) {
        App app = resolve(name, version);
        Instance started = client().run(app.name(), app.version(), visibility);
        root().say("started " + started.id() + " (" + app.name() + " " + app.version() + ")");
        return show(noWait ? started : StartWatch.untilRunning(root(), started, timeout), Views::instance);
    }

    @Command(name = "update", description = "Change an app version's visibility or replace its tags.")
    int update(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", paramLabel = "VERSION") String version,
            @Option(names = "--visibility") Visibility visibility,
            @Option(names = "--tag", paramLabel = "TAG", description = "Replaces the tags (repeatable).") List<String> tags,
            @Option(names = "--no-tags", description = "Remove every tag.") boolean noTags) {
        if (visibility == null && tags == null && !noTags) {
            throw new CliFailure(ExitCodes.USAGE, "nothing to change: give --visibility, --tag or --no-tags");
        }
        return show(client().changeApp(name, version, visibility, noTags ? List.of() : tags), Views::app);
    }

    @Command(name = "delete", description = "Delete an app version (refused while instances run it).")
    int delete(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", paramLabel = "VERSION") String version) {
        client().deleteApp(name, version);
        return done("deleted " + name + " " + version);
    }

    @Command(name = "download", description = "Download an app version's .wave bundle (default: the newest version).")
    int download(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION") String version,
            @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Default: NAME-VERSION.wave") Path output) {
        App app = resolve(name, version);
        Path target = output != null ? output : Path.of(app.name() + "-" + app.version() + ".wave");
        long bytes = client().downloadBundle(app.name(), app.version(), target, TransferProgress.of(root(), "downloading"));
        return done("downloaded " + bytes + " bytes -> " + target);
    }

    private App resolve(String name, String version) {
        if (version != null) {
            return client().app(name, version);
        }
        return client().latestVersion(name)
                .orElseThrow(() -> new CliFailure(ExitCodes.NOT_FOUND, "no app named " + name + " that you may see"));
    }
}
