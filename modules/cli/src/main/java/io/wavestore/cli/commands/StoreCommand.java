package io.wavestore.cli.commands;

import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.WavestoreCommand;
import io.wavestore.client.WavestoreClient;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand reaches through the root command: the client, the printer, the environment. */
abstract class StoreCommand {

    @Spec
    CommandSpec spec;

    WavestoreCommand root() {
        return (WavestoreCommand) spec.root().userObject();
    }

    WavestoreClient client() {
        return root().client();
    }

    /** Prints a command's answer through its view, and ends the command as one that did what it was asked. */
    <T> int show(T result, Function<T, String> view) {
        root().print(result, view);
        return ExitCodes.OK;
    }

    /** Says what the command did, and ends it as one that did what it was asked. */
    int done(String line) {
        root().say(line);
        return ExitCodes.OK;
    }
}
