package io.wavestore.cli;

import io.wavestore.cli.auth.OidcTokenRefresh;
import io.wavestore.cli.commands.AliasCommand;
import io.wavestore.cli.commands.AppCommand;
import io.wavestore.cli.commands.BundleCommand;
import io.wavestore.cli.commands.InstanceCommand;
import io.wavestore.cli.commands.LoginCommand;
import io.wavestore.cli.commands.LogoutCommand;
import io.wavestore.cli.commands.ProfileCommand;
import io.wavestore.cli.commands.SecretCommand;
import io.wavestore.cli.commands.TagCommand;
import io.wavestore.cli.commands.TokenCommand;
import io.wavestore.cli.commands.WhoamiCommand;
import io.wavestore.cli.config.Profile;
import io.wavestore.cli.config.Profiles;
import io.wavestore.client.ClientJson;
import io.wavestore.client.Credentials;
import io.wavestore.client.WavestoreClient;
import java.net.URI;
import java.time.Instant;
import java.util.function.Function;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code wavestore} command: the options every subcommand shares, and the client they call the store with. */
@Command(name = "wavestore", mixinStandardHelpOptions = true, version = "wavestore 0.1.0",
        description = "The command line of Wavestore, an app store for H2O Wave apps.",
        subcommands = {BundleCommand.class, AppCommand.class, InstanceCommand.class, TagCommand.class,
                AliasCommand.class, SecretCommand.class, TokenCommand.class, LoginCommand.class, LogoutCommand.class,
                WhoamiCommand.class,
                ProfileCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:failed (a 5xx answer, a local file that cannot be read...)",
                "2:wrong usage",
                "3:input refused (a bad bundle or field: 400, 413, 422)",
                "4:not signed in or not allowed (401, 403)",
                "5:not found (404)",
                "6:conflict: in use, exists already, a limit hit (409, 429)",
                "7:store unreachable or unavailable (503)",
                "8:the instance waited for failed to start"})
public final class WavestoreCommand implements Runnable {

    static final String DEFAULT_STORE = "http://127.0.0.1:8080";

    private final CliEnvironment env;
    private WavestoreClient client;

    @Spec
    CommandSpec spec;

    @Option(names = "--store", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The store's URL (default: the profile's, else $WAVESTORE_URL, else " + DEFAULT_STORE + ").")
    String store;

    @Option(names = {"-p", "--profile"}, scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The profile to use (default: $WAVESTORE_PROFILE, else the current one).")
    String profile;

    @Option(names = "--dev-user", scope = ScopeType.INHERIT, paramLabel = "USER",
            description = "Act as this user on a store with the development identity.")
    String devUser;

    @Option(names = "--dev-role", scope = ScopeType.INHERIT, paramLabel = "ROLE",
            description = "The development user's role (visitor, full-user, admin).")
    String devRole;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of tables.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress on stderr.")
    boolean quiet;

    public WavestoreCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public void run() {
        spec.commandLine().usage(env.out());
    }

    public CliEnvironment env() {
        return env;
    }

    public boolean json() {
        return json;
    }

    /** Progress is drawn for people only: not asked to be quiet, and not writing JSON for a script. */
    public boolean showProgress() {
        return !quiet && !json;
    }

    public String profileName() {
        if (profile != null) {
            return profile;
        }
        String fromEnv = env.variable("WAVESTORE_PROFILE");
        return fromEnv != null ? fromEnv : profiles().current();
    }

    public Profiles profiles() {
        return Profiles.load(env.configDir());
    }

    /** The store's URL: --store, the profile's, $WAVESTORE_URL, or the local default. */
    public String storeUrl() {
        if (store != null) {
            return store;
        }
        Profile p = profiles().get(profileName());
        if (p.store() != null) {
            return p.store();
        }
        String fromEnv = env.variable("WAVESTORE_URL");
        return fromEnv != null ? fromEnv : DEFAULT_STORE;
    }

    public String devUser() {
        return devUser;
    }

    public String devRole() {
        return devRole;
    }

    /** The client, made once per command with the credentials the options, environment and profile give. */
    public WavestoreClient client() {
        if (client == null) {
            client = WavestoreClient.builder(URI.create(storeUrl())).credentials(credentials()).build();
        }
        return client;
    }

    /** A client with other credentials (login checks them before keeping them); closed by the caller. */
    public WavestoreClient clientWith(String storeUrl, Credentials credentials) {
        return WavestoreClient.builder(URI.create(storeUrl)).credentials(credentials).build();
    }

    /** --dev-user, then $WAVESTORE_TOKEN, then the profile's token, OIDC sign-in or development user. */
    Credentials credentials() {
        if (devUser != null || devRole != null) {
            return Credentials.development(devUser, devRole);
        }
        String token = env.variable("WAVESTORE_TOKEN");
        if (token != null) {
            return Credentials.bearer(token);
        }
        String name = profileName();
        Profile p = profiles().get(name);
        if (p.token() != null) {
            return Credentials.bearer(p.token());
        }
        if (p.oidc() != null) {
            Profile.OidcTokens tokens = p.oidc();
            if (tokens.expiresBefore(Instant.now().plusSeconds(30)) && tokens.refreshToken() != null) {
                tokens = OidcTokenRefresh.refresh(tokens);
                profiles().with(name, p.withOidc(tokens)).save();
            }
            return Credentials.bearer(tokens.accessToken());
        }
        if (p.devUser() != null || p.devRole() != null) {
            return Credentials.development(p.devUser(), p.devRole());
        }
        return Credentials.none();
    }

    /** Prints a result: as JSON with --json, else as {@code view} shows it to people. */
    public <T> void print(T result, Function<T, String> view) {
        if (json) {
            try {
                env.out().println(ClientJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            env.out().print(view.apply(result));
        }
        env.out().flush();
    }

    /** A line for people on stderr (progress, what happened), never mixed into stdout's results. */
    public void say(String line) {
        if (!quiet) {
            env.err().println(line);
            env.err().flush();
        }
    }

    void close() {
        if (client != null) {
            client.close();
        }
    }
}
