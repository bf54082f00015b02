package io.wavestore.launcher;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.OpenedBundle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An instance's virtual environment from the {@link DependencyCache}: copied by hard links from the environment
 * built before for the same requirements and Python, or built there once with uv and then copied. Building there and
 * not in the instance's own directory is what lets the next instance skip the install, bytecode compilation
 * included (uv alone would install from its cache in about 0.3 s but leave 1.7 s of compiling per new venv, or slower
 * imports at every start of a read-only one).
 */
final class CachedVenvs {
    private final DependencyCache cache;
    private final Path uv;
    private final ProcessRunner runner;
    private final ProgressReporter progress;

    CachedVenvs(DependencyCache cache, Path uv, ProcessRunner runner, ProgressReporter progress) {
        this.cache = cache;
        this.uv = uv;
        this.runner = runner;
        this.progress = progress;
    }

    /** Fills the (empty) instance venv {@code venv} with the cached environment {@code key}, building it if need be. */
    void install(DependencyInstaller.Venv venv, OpenedBundle bundle, AppMode mode, String key, String python,
                 String why, Map<String, String> baseEnv, Instant deadline)
            throws LaunchFailure, InterruptedException, IOException {
        try (FileChannel lockFile = cache.lockFile(key); FileLock lock = DependencyInstaller.lock(lockFile, deadline)) {
            Optional<Path> entry = cache.lookup(key);
            if (entry.isPresent()) {
                progress.running(Step.INSTALLING_DEPENDENCIES, "Copying the virtual environment built before for the"
                        + " same requirements.txt and Python (" + key.substring(0, 12) + " in the dependency cache; "
                        + why + ")");
            } else {
                progress.running(Step.INSTALLING_DEPENDENCIES, "Building the virtual environment with uv in the"
                        + " dependency cache (" + why + "); later instances with the same requirements.txt and Python"
                        + " reuse it");
                entry = Optional.of(build(key, bundle, mode, python, baseEnv, deadline));
            }
            DependencyCache.copy(entry.get(), venv.dir());
        }
        List<String> evicted = cache.evict(key);
        if (!evicted.isEmpty()) {
            Log.info("dependency cache over its size: removed the least recently used " + String.join(", ", evicted));
        }
    }

    private Path build(String key, OpenedBundle bundle, AppMode mode, String python, Map<String, String> baseEnv,
                       Instant deadline) throws LaunchFailure, InterruptedException, IOException {
        Path dir = cache.building(key);
        runner.handOver(dir);
        DependencyInstaller.Venv built = new DependencyInstaller.Venv(dir);
        Map<String, String> env = Uv.environment(baseEnv, cache.downloads());
        long before = DependencyCache.sizeOf(cache.downloads());
        // Relocatable: its scripts find their interpreter beside them, so the copies work wherever they are.
        runner.run("uv", "uv venv", List.of(uv.toString(), "venv", "--quiet", "--relocatable", "--python", python,
                dir.toString()), bundle.root(), env, deadline);
        List<String> install = List.of(uv.toString(), "pip", "install", "--python", built.python().toString(),
                "--compile-bytecode", "--link-mode", "copy");
        List<String> output = new ArrayList<>();
        if (bundle.requirements().isPresent()) {
            List<String> command = new ArrayList<>(install);
            command.addAll(List.of("-r", bundle.requirements().get().toString()));
            // From the app's directory, so relative paths in requirements.txt mean files of the bundle.
            output.addAll(uvInstall("uv pip install -r requirements.txt", command, bundle, env, deadline));
        }
        if (mode == AppMode.WAVE && !Files.isExecutable(built.waved())) {
            progress.running(Step.INSTALLING_DEPENDENCIES, "requirements.txt does not install h2o-wave; "
                    + "installing it for waved");
            List<String> command = new ArrayList<>(install);
            command.add("h2o-wave");
            output.addAll(uvInstall("uv pip install h2o-wave", command, bundle, env, deadline));
            if (!Files.isExecutable(built.waved())) {
                throw new LaunchFailure("h2o-wave is installed but waved is missing: this platform's h2o-wave wheel"
                        + " has no waved (a Wave app needs the manylinux wheel)");
            }
        }
        cache.downloadsUsed();
        long downloaded = Math.max(0, DependencyCache.sizeOf(cache.downloads()) - before);
        progress.running(Step.INSTALLING_DEPENDENCIES, downloads(output, downloaded));
        return cache.publish(key, dir);
    }

    private List<String> uvInstall(String what, List<String> command, OpenedBundle bundle, Map<String, String> env,
                                   Instant deadline) throws LaunchFailure, InterruptedException {
        ChildProcess child = DependencyInstaller.runInstaller(runner, "uv", what, command, bundle.root(), env,
                deadline);
        return child.tail();
    }

    /**
     * What this first start fetched, from uv's summary ("Prepared 19 packages", "Downloading h2o-wave (12.2MiB)")
     * and the growth of its download cache.
     */
    static String downloads(List<String> output, long bytes) {
        List<String> big = new ArrayList<>();
        String prepared = null;
        for (String line : output) {
            String l = line.strip();
            if (l.startsWith("Downloading ")) {
                big.add(l.substring("Downloading ".length()));
            } else if (l.startsWith("Prepared ")) {
                prepared = l.substring("Prepared ".length()).replaceFirst(" in .*", "");
            }
        }
        String mib = String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
        if (prepared == null) {
            return "Downloaded nothing: every package was in the dependency cache";
        }
        return "Downloaded and prepared " + prepared + " (" + mib + " added to the dependency cache"
                + (big.isEmpty() ? "" : "; the largest: " + String.join(", ", big)) + ")";
    }
}
