package io.wavestore.cli.commands;

import io.wavestore.cli.WavestoreCommand;
import io.wavestore.client.WavestoreClient;
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
}
