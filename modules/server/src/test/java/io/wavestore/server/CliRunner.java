package io.wavestore.server;

import io.wavestore.cli.Cli;
import io.wavestore.cli.CliEnvironment;
import io.wavestore.cli.auth.BrowserOpener;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the {@code wavestore} command in this JVM against a test store, as a person would type it: its own profile
 * folder, environment variables, stdin, and a browser the test provides.
 */
final class CliRunner {

    /** What one command printed and how it exited. */
    record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Output a command writes while it runs (a followed log), readable from another thread. */
    static final class LiveOutput extends StringWriter {
        @Override
        public synchronized String toString() {
            return super.toString();
        }

        @Override
        public synchronized void write(String str, int off, int len) {
            super.write(str, off, len);
        }
    }

    private final URI store;
    private final Path configDir;
    private final Map<String, String> variables = new HashMap<>();
    private BrowserOpener browser = uri -> false;

    CliRunner(URI store, Path configDir) {
        this.store = store;
        this.configDir = configDir;
    }

    CliRunner browser(BrowserOpener value) {
        this.browser = value;
        return this;
    }

    CliRunner variable(String name, String value) {
        variables.put(name, value);
        return this;
    }

    Run run(String... args) {
        return runWithInput("", args);
    }

    Run runWithInput(String stdin, String... args) {
        StringWriter out = new LiveOutput();
        StringWriter err = new LiveOutput();
        int code = run(out, err, stdin, args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs with the caller's writers, so that a command that keeps running (logs -f) can be watched. */
    int run(StringWriter out, StringWriter err, String stdin, String... args) {
        List<String> withStore = new ArrayList<>(List.of(args));
        withStore.add("--store=" + store);
        CliEnvironment env = new CliEnvironment(new PrintWriter(out, true), new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Map.copyOf(variables), configDir, browser,
                false);
        return Cli.run(env, withStore.toArray(String[]::new));
    }
}
