package io.wavestore.cli.commands;

import io.wavestore.cli.output.Views;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", description = "Stable names for instances (admins).")
public final class AliasCommand extends StoreCommand {

    @Command(name = "list", description = "List aliases, all or those of one instance.")
    int list(@Option(names = "--instance", paramLabel = "ID") String instance) {
        return show(client().aliases(instance), Views::aliases);
    }

    @Command(name = "get", description = "Show one alias.")
    int get(@Parameters(paramLabel = "NAME") String name) {
        return show(List.of(client().alias(name)), Views::aliases);
    }

    @Command(name = "create", description = "Create an alias, optionally pointing at an instance.")
    int create(@Parameters(paramLabel = "NAME") String name, @Option(names = "--instance", paramLabel = "ID") String instance,
            @Option(names = "--primary", description = "Make it the instance's primary alias.") Boolean primary) {
        return show(List.of(client().createAlias(name, instance, primary)), Views::aliases);
    }

    @Command(name = "point", description = "Point the alias at another instance; its URL stays.")
    int point(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", paramLabel = "INSTANCE") String instance) {
        return show(List.of(client().pointAlias(name, instance)), Views::aliases);
    }

    @Command(name = "primary", description = "Make the alias its instance's primary.")
    int primary(@Parameters(paramLabel = "NAME") String name) {
        return show(List.of(client().makePrimary(name)), Views::aliases);
    }

    @Command(name = "delete", description = "Remove the alias; its URL then answers 404.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        client().deleteAlias(name);
        return done("deleted alias " + name);
    }
}
