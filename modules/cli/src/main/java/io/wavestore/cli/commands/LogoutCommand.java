package io.wavestore.cli.commands;

import io.wavestore.cli.config.Profiles;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "logout", description = "Forget the profile's credentials (the profile keeps its store).")
public final class LogoutCommand extends StoreCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        String name = root().profileName();
        Profiles profiles = root().profiles();
        if (profiles.exists(name)) {
            profiles.with(name, profiles.get(name).signedOut()).save();
        }
        return done("signed out (profile " + name + ")");
    }
}
