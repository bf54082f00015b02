package io.wavestore.scheduler.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Whether launchers can confine their children on this machine, tried once as the store starts: bubblewrap with the
 * namespaces the launcher asks for, and, when the store runs as root, dropping to the sandbox user inside.
 */
final class SandboxCheck {

    private SandboxCheck() {
    }

    /** The user the children run as: the sandbox user when this process is root, else its own (in a user namespace). */
    static OptionalInt childUser(int sandboxUid) {
        return isRoot() ? OptionalInt.of(sandboxUid) : OptionalInt.empty();
    }

    /** Empty when a sandbox works here; else why not, in words for the log and for a refused start. */
    static Optional<String> problem(OptionalInt uid) {
        List<String> command = new ArrayList<>(List.of("bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-uts",
                "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev"));
        if (uid.isEmpty()) {
            command.add(1, "--unshare-user");
        }
        command.add("--");
        uid.ifPresent(u -> command.addAll(List.of("setpriv", "--reuid=" + u, "--regid=" + u, "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--")));
        command.add("true");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("bubblewrap did not finish a trial run within 20 s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? Optional.empty()
                    : Optional.of("a trial run of bubblewrap failed (" + output + ")");
        } catch (IOException e) {
            return Optional.of("bubblewrap (bwrap) cannot be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while trying bubblewrap");
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
