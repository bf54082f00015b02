package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.WavestoreCommand;
import io.wavestore.cli.auth.OidcLogin;
import io.wavestore.cli.config.Profile;
import io.wavestore.cli.output.Views;
import io.wavestore.client.Credentials;
import io.wavestore.client.WavestoreClient;
import io.wavestore.client.model.Caller;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", description = {
        "Sign in to a store and keep the credentials in the profile (~/.config/wavestore/profiles.json):",
        "  --issuer URL [--client-id ID]   OpenID Connect in your browser (PKCE, loopback redirect)",
        "  --with-token                    a personal API token, read from stdin",
        "  --dev-user USER [--dev-role R]  a user of a store with the development identity",
        "The store is checked to accept them before they are kept."})
public final class LoginCommand extends StoreCommand implements Callable<Integer> {

    @Option(names = "--with-token", description = "Read a personal API token (wst_...) from stdin.")
    boolean withToken;

    @Option(names = "--issuer", paramLabel = "URL", description = "The store's OpenID Connect provider.")
    URI issuer;

    @Option(names = "--client-id", defaultValue = "wavestore-cli",
            description = "The provider's client for this command line, a public one (default: ${DEFAULT-VALUE}).")
    String clientId;

    @Option(names = "--scope", defaultValue = "openid profile offline_access", description = "Default: ${DEFAULT-VALUE}.")
    String scope;

    @Option(names = "--timeout", defaultValue = "PT5M", description = "How long to wait for the browser (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() {
        WavestoreCommand root = root();
        String store = root.storeUrl();
        Profile profile;
        Credentials credentials;
        if (withToken) {
            String token = readToken();
            profile = Profile.of(store).withToken(token);
            credentials = Credentials.bearer(token);
        } else if (issuer != null) {
            OidcLogin login = new OidcLogin(issuer, clientId, scope, root.env().browser(), root.env().err(), timeout);
            Profile.OidcTokens tokens = login.withIssuer(login.signIn());
            profile = Profile.of(store).withOidc(tokens);
            credentials = Credentials.bearer(tokens.accessToken());
        } else if (root.devUser() != null || root.devRole() != null) {
            profile = Profile.of(store).withDevelopmentUser(root.devUser(), root.devRole());
            credentials = Credentials.development(root.devUser(), root.devRole());
        } else {
            throw new CliFailure(ExitCodes.USAGE, "how to sign in: --issuer URL (OpenID Connect), --with-token, or --dev-user");
        }
        Caller caller;
        try (WavestoreClient client = root.clientWith(store, credentials)) {
            caller = client.me();
        }
        if (!caller.signedIn()) {
            throw new CliFailure(ExitCodes.AUTH, "the store at " + store + " does not sign you in with these credentials");
        }
        String name = root.profileName();
        root.profiles().with(name, profile).withCurrent(name).save();
        root.say("signed in to " + store + " (profile " + name + ")");
        root.print(caller, Views::caller);
        return ExitCodes.OK;
    }

    private String readToken() {
        try {
            String line = new BufferedReader(new InputStreamReader(root().env().in(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isBlank()) {
                throw new CliFailure(ExitCodes.USAGE, "--with-token reads the token from stdin, and stdin was empty");
            }
            return line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
