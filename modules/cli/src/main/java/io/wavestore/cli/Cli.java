package io.wavestore.cli;

import io.wavestore.cli.output.ProblemMessages;
import io.wavestore.client.StoreUnreachableException;
import io.wavestore.client.WavestoreException;
import io.wavestore.client.WavestoreProblemException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/** Runs one command line: parses it, runs the command, and turns every failure into a message and an exit code. */
public final class Cli {

    private Cli() {
    }

    public static int run(CliEnvironment env, String... args) {
        WavestoreCommand root = new WavestoreCommand(env);
        CommandLine commandLine = commandLine(root);
        try {
            return commandLine.execute(args);
        } finally {
            root.close();
            env.out().flush();
            env.err().flush();
        }
    }

    static CommandLine commandLine(WavestoreCommand root) {
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(root.env().out());
        commandLine.setErr(root.env().err());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> report(root.env(), e));
        return commandLine;
    }

    static int report(CliEnvironment env, Exception e) {
        if (e instanceof WavestoreProblemException p) {
            env.err().print(ProblemMessages.describe(p.problem()));
            return ExitCodes.forStatus(p.status());
        }
        if (e instanceof StoreUnreachableException u) {
            env.err().println("error: " + u.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        if (e instanceof CliFailure f) {
            env.err().println(f.getMessage().startsWith("error") ? f.getMessage() : "error: " + f.getMessage());
            return f.exitCode();
        }
        if (e instanceof WavestoreException || e instanceof UncheckedIOException) {
            env.err().println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        env.err().println("error: " + e);
        return ExitCodes.FAILED;
    }
}
