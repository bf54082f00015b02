package io.wavestore.testkit.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the machine's own commands (ip, ctr, iptables, umount) for the {@link KubernetesNode}. */
final class Host {

    private Host() {
    }

    /** Runs {@code command}, returns its output (stdout and stderr); throws with the output when it fails. */
    static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(List.of(command) + " did not finish in 10 minutes");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(List.of(command) + " failed with exit code " + process.exitValue()
                        + ": " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + List.of(command), e);
        }
    }

    /** Like {@link #run} for cleanup steps: a failure is returned as false, never thrown. */
    static boolean tryRun(String... command) {
        try {
            run(command);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
