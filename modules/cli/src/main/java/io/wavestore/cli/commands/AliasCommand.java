package io.wavestore.cli.commands;

import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.output.Views;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "alias", description = "Stable names for instances (admins).")
public final class AliasCommand extends StoreCommand {

    @Command(name = "list", description = "List aliases, all or those of one instance.")
    int list(@Option(names = "--instance", paramLabel = "ID") String instance) {
        root().print(client().aliases(instance), Views::aliases);
        return ExitCodes.OK;
    }

    @Command(name = "get", description = "Show one alias.")
    int get(@Parameters(paramLabel = "NAME") String name) {
        root().print(List.of(client().alias(name)), Views::aliases);
        return ExitCodes.OK;
    }

    @Command(name = "create", description = "Create an alias, optionally pointing at an instance.")
    int create(@Parameters(paramLabel = "NAME") String name, @Option(names = "--instance", paramLabel = "ID") String instance,
            @Option(names = "--primary", description = "Make it the instance's primary alias.") Boolean primary) {
        root().print(List.of(client().createAlias(name, instance, primary)), Views::aliases);
        return ExitCodes.OK;
    }

    @Command(name = "point", description = "Point the alias at another instance; its URL stays.")
    int point(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", paramLabel = "INSTANCE") String instance) {
        root().print(List.of(client().pointAlias(name, instance)), Views::aliases);
        return ExitCodes.OK;
    }

    @Command(name = "primary", description = "Make the alias its instance's primary.")
    int primary(@Parameters(paramLabel = "NAME") String name) {
        root().print(List.of(client().makePrimary(name)), Views::aliases);
        return ExitCodes.OK;
    }

    @Command(name = "delete", description = "Remove the alias; its URL then answers 404.")
    int delete(@Parameters(paramLabel = "NAME") String name) {
        client().deleteAlias(name);
        root().say("deleted alias " + name);
        return ExitCodes.OK;
    }
}
