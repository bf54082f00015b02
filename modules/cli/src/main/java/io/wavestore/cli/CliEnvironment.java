package io.wavestore.cli;

import io.wavestore.cli.auth.BrowserOpener;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the command reads from and writes to outside its arguments: streams, environment variables, the folder of its
 * profiles, the browser. Tests give their own.
 *
 * @param terminal whether a person watches stderr (progress is drawn only then)
 */
public record CliEnvironment(PrintWriter out, PrintWriter err, InputStream in, Map<String, String> variables,
        Path configDir, BrowserOpener browser, boolean terminal) {

    public static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        return new CliEnvironment(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.in, env, configDir(env),
                BrowserOpener.desktop(), System.console() != null);
    }

    /** {@code $WAVESTORE_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/wavestore}, else {@code ~/.config/wavestore}. */
    static Path configDir(Map<String, String> env) {
        if (env.get("WAVESTORE_CONFIG_DIR") != null) {
            return Path.of(env.get("WAVESTORE_CONFIG_DIR"));
        }
        if (env.get("XDG_CONFIG_HOME") != null) {
            return Path.of(env.get("XDG_CONFIG_HOME"), "wavestore");
        }
        return Path.of(System.getProperty("user.home"), ".config", "wavestore");
    }

    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }
}
