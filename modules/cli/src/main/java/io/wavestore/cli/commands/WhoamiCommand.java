package io.wavestore.cli.commands;

import io.wavestore.cli.output.Views;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "whoami", description = "Show who the store thinks you are.")
public final class WhoamiCommand extends StoreCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return show(client().me(), Views::caller);
    }
}
