package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.output.Views;
import io.wavestore.client.model.NewSecret;
import io.wavestore.client.model.Secret;
import io.wavestore.client.model.SecretScope;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "secret", description = "Secrets your apps refer to in app.toml; values are sent, never shown.")
public final class SecretCommand extends StoreCommand {

    private static final String VALUES = "Values: --from-literal KEY=VALUE, --from-file KEY=PATH (both repeatable), or,"
            + " with neither, KEY=VALUE lines on stdin.";

    @Command(name = "list", description = "List the secrets you may see: names, scopes and keys, never values.")
    int list() {
        return show(client().secrets(), Views::secrets);
    }

    @Command(name = "get", description = "Show one secret (by id, or by name when that is unambiguous); no values.")
    int get(@Parameters(paramLabel = "ID|NAME") String secret,
            @Option(names = "--scope", description = "Which of several of that name: PRIVATE, ALL_USERS or APP.") SecretScope scope) {
        return show(client().secret(find(secret, scope).id()), Views::secret);
    }

    @Command(name = "create", description = "Create a secret. " + VALUES)
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--scope", defaultValue = "PRIVATE",
                    description = "PRIVATE (your instances), ALL_USERS (full users' instances; admins) or APP (one app's). Default: ${DEFAULT-VALUE}.")
            SecretScope scope,
            @Option(names = "--app", paramLabel = "APP", description = "The app an APP secret is bound to.") String app,
            @Option(names = "--from-literal", paramLabel = "KEY=VALUE") List<String> literals,
            @Option(names = "--from-file", paramLabel = "KEY=PATH") List<String> files) {
        NewSecret secret = new NewSecret(name, scope, app, SecretValues.read(orEmpty(literals), orEmpty(files), root().env().in()));
        return show(client().createSecret(secret), Views::secret);
    }

    @Command(name = "update", description = "Replace every key and value of a secret. " + VALUES)
    int update(@Parameters(paramLabel = "ID|NAME") String secret,
            @Option(names = "--scope", description = "Which of several of that name: PRIVATE, ALL_USERS or APP.") SecretScope scope,
            @Option(names = "--from-literal", paramLabel = "KEY=VALUE") List<String> literals,
            @Option(names = "--from-file", paramLabel = "KEY=PATH") List<String> files) {
        String id = find(secret, scope).id();
        return show(client().replaceSecret(id, SecretValues.read(orEmpty(literals), orEmpty(files), root().env().in())),
                Views::secret);
    }

    @Command(name = "delete", description = "Delete a secret; instances that need it fail their next start.")
    int delete(@Parameters(paramLabel = "ID|NAME") String secret,
            @Option(names = "--scope", description = "Which of several of that name: PRIVATE, ALL_USERS or APP.") SecretScope scope) {
        Secret found = find(secret, scope);
        client().deleteSecret(found.id());
        return done("deleted secret " + found.name() + " (" + found.id() + ")");
    }

    /** A secret by its id, else by its name (and scope), among those the caller may see. */
    private Secret find(String idOrName, SecretScope scope) {
        List<Secret> visible = client().secrets();
        List<Secret> byId = visible.stream().filter(s -> s.id().equals(idOrName)).toList();
        if (!byId.isEmpty()) {
            return byId.get(0);
        }
        List<Secret> named = visible.stream().filter(s -> s.name().equals(idOrName))
                .filter(s -> scope == null || s.scope() == scope).toList();
        if (named.isEmpty()) {
            throw new CliFailure(ExitCodes.NOT_FOUND, "no secret " + idOrName + (scope == null ? "" : " of scope " + scope)
                    + " that you may see");
        }
        if (named.size() > 1) {
            throw new CliFailure(ExitCodes.USAGE, "several secrets are named " + idOrName + ": give its id or --scope ("
                    + named.stream().map(s -> s.id() + " " + s.scope()).collect(Collectors.joining(", ")) + ")");
        }
        return named.get(0);
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
