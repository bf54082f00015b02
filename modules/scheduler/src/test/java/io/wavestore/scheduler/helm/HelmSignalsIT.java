package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * helm-java's install takes SIGTERM away from the JVM; {@link JvmSignals#restore()} gives it back. Each case runs in
 * a JVM of its own, stopped the way Kubernetes stops a pod: with SIGTERM.
 */
class HelmSignalsIT {

    @Test
    void afterAHelmInstallSigtermRunsTheShutdownHooksOnlyOnceTheSignalsAreRestored() throws Exception {
        Result restored = stop("restore");
        assertThat(restored.exitCode()).isEqualTo(143);
        assertThat(restored.output()).contains("ready", "shutdown hook ran");

        // The reason JvmSignals exists: if this starts to pass through, helm-java stopped taking the signals.
        Result taken = stop("leave");
        assertThat(taken.stoppedBySigterm()).isFalse();
        assertThat(taken.output()).contains("ready").doesNotContain("shutdown hook ran");
    }

    record Result(boolean stoppedBySigterm, int exitCode, List<String> output) {
    }

    private static Result stop(String mode) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                SignalProbe.class.getName(), mode).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                if (line.equals("ready")) {
                    break;
                }
            }
            // SIGTERM, as Process.destroy() would send, but without closing the output we still read.
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
            boolean stopped = process.waitFor(5, TimeUnit.SECONDS);
            if (stopped) {
                reader.lines().forEach(output::add);
            } else {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            return new Result(stopped, process.exitValue(), output);
        } finally {
            process.destroyForcibly();
        }
    }
}
