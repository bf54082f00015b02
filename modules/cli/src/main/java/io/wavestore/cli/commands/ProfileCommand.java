package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.config.Profile;
import io.wavestore.cli.config.Profiles;
import io.wavestore.cli.output.Table;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "profile", description = "Named stores with their credentials; one is current.")
public final class ProfileCommand extends StoreCommand {

    @Command(name = "list", description = "List the profiles (never their secrets).")
    int list() {
        Profiles profiles = root().profiles();
        Map<String, String> kinds = new TreeMap<>();
        Table table = new Table("", "NAME", "STORE", "SIGNED IN WITH");
        new TreeMap<>(profiles.all()).forEach((name, p) -> {
            kinds.put(name, kind(p));
            table.row(name.equals(profiles.current()) ? "*" : "", name, p.store(), kind(p));
        });
        return show(kinds, k -> table.render());
    }

    @Command(name = "use", description = "Make a profile the current one.")
    int use(@Parameters(paramLabel = "NAME") String name) {
        Profiles profiles = root().profiles();
        if (!profiles.exists(name)) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no profile named " + name + " (`wavestore --profile " + name
                    + " login ...` creates it)");
        }
        profiles.withCurrent(name).save();
        return done("using profile " + name);
    }

    private static String kind(Profile p) {
        if (p.token() != null) {
            return "api token";
        }
        if (p.oidc() != null) {
            return "oidc (" + p.oidc().issuer() + ")";
        }
        if (p.devUser() != null || p.devRole() != null) {
            return "development user " + (p.devUser() != null ? p.devUser() : "") + (p.devRole() != null ? " (" + p.devRole() + ")" : "");
        }
        return "nothing";
    }
}
