package io.wavestore.testkit.kubernetes;

import io.wavestore.testkit.CommandRun;
import io.wavestore.testkit.RepositoryScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code helm} CLI and {@code kubectl} built from source by {@code modules/testkit/clients/build.sh}: clients
 * nobody here wrote, run as a person runs them by hand, each as a process of its own against a test namespace.
 *
 * @param bin  the directory holding both
 * @param home Helm's cache, settings and data (HELM_*_HOME), a temporary directory so the machine's stay untouched
 */
public record HandClients(Path bin, Path home) {

    public static final String PROPERTY = "wavestore.clients.bin";
    public static final String ENVIRONMENT = "WAVESTORE_CLIENTS_BIN";
    static final String BUILD_SCRIPT = "modules/testkit/clients/build.sh";
    /** Long enough for a loaded 2-core machine; a command that hangs longer is killed and fails the test. */
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    /**
     * The built clients: the system property, the environment variable ({@code .ci/run} exports it), then the
     * script's cache entry ({@code build.sh --installed}, which builds nothing). Empty, with why, when none is built.
     */
    public static Optional<HandClients> find(Path home, StringBuilder whyNot) {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENVIRONMENT);
        }
        String howToBuild = "run `bash " + BUILD_SCRIPT + "` (it builds into ~/.cache/wavestore; .ci/run does it) or set "
                + ENVIRONMENT + " (or -D" + PROPERTY + ") to the directory it prints";
        Path dir;
        if (configured != null && !configured.isBlank()) {
            dir = Path.of(configured.strip());
        } else {
            Path script = RepositoryScripts.find(BUILD_SCRIPT);
            if (script == null) {
                whyNot.append("no ").append(BUILD_SCRIPT).append(" above ").append(Path.of("").toAbsolutePath());
                return Optional.empty();
            }
            try {
                dir = Path.of(RepositoryScripts.lastLine(script, Duration.ofMinutes(1), ProcessBuilder.Redirect.DISCARD,
                        "--installed"));
            } catch (IllegalStateException e) {
                whyNot.append("helm and kubectl are not built: ").append(howToBuild);
                return Optional.empty();
            }
        }
        for (String tool : List.of("helm", "kubectl")) {
            if (!Files.isExecutable(dir.resolve(tool))) {
                whyNot.append(dir).append(" has no executable ").append(tool).append(": ").append(howToBuild);
                return Optional.empty();
            }
        }
        return Optional.of(new HandClients(dir, home));
    }

    /** {@code helm --kubeconfig ... --namespace <namespace> args...}. */
    public CommandRun helm(TestNamespace namespace, String... args) {
        return run("helm", List.of("--kubeconfig", namespace.kubeconfig().toString(), "--namespace", namespace.name()), args);
    }

    /** {@code kubectl --kubeconfig ... --namespace <namespace> args...}. */
    public CommandRun kubectl(TestNamespace namespace, String... args) {
        return run("kubectl", List.of("--kubeconfig", namespace.kubeconfig().toString(), "--namespace", namespace.name()),
                args);
    }

    private CommandRun run(String tool, List<String> where, String... args) {
        List<String> command = new ArrayList<>();
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        command.addAll(where);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (String kind : List.of("CACHE", "CONFIG", "DATA")) {
            builder.environment().put("HELM_" + kind + "_HOME", home.resolve(kind.toLowerCase()).toString());
        }
        return CommandRun.of(builder, TIMEOUT);
    }
}
