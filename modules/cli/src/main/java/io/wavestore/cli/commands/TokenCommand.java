package io.wavestore.cli.commands;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import io.wavestore.cli.output.Views;
import io.wavestore.client.model.ApiToken;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "Your personal API tokens.")
public final class TokenCommand extends StoreCommand {

    @Command(name = "list", description = "List your tokens (never the tokens themselves).")
    int list() {
        return show(client().tokens(), Views::tokens);
    }

    @Command(name = "create", description = "Create a token and print it; the store shows it this once.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--expires", paramLabel = "WHEN",
                    description = "When it stops working: an ISO-8601 instant or a duration like 30d or 12h (default: never).")
            String expires) {
        ApiToken token = client().createToken(name, expiresAt(expires));
        return show(token, t -> t.token() + "\n");
    }

    @Command(name = "revoke", description = "Revoke one of your tokens.")
    int revoke(@Parameters(paramLabel = "ID") String id) {
        client().revokeToken(id);
        return done("revoked token " + id);
    }

    static Instant expiresAt(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (value.matches("\\d+[dhm]")) {
                long n = Long.parseLong(value.substring(0, value.length() - 1));
                Duration d = switch (value.charAt(value.length() - 1)) {
                    case 'd' -> Duration.ofDays(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofMinutes(n);
                };
                return Instant.now().plus(d);
            }
            return Instant.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new CliFailure(ExitCodes.USAGE, "--expires: '" + value + "' is neither an instant like "
                    + "2027-01-31T00:00:00Z nor a duration like 30d");
        }
    }
}
