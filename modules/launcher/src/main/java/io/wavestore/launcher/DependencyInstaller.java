package io.wavestore.launcher;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.OpenedBundle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The INSTALLING_DEPENDENCIES step: packages.txt with apt (as root), then the virtual environment with
 * requirements.txt, reused when {@link VenvFingerprint} says nothing changed. A Wave app needs waved, which the
 * {@code h2o-wave} wheel brings; when requirements.txt does not install it, the launcher adds it.
 */
final class DependencyInstaller {
    static final String MARKER = ".wavestore-venv";
    static final String LOCK = ".wavestore-venv.lock";
    static final String CACHE = LauncherVariable.WAVESTORE_DEPENDENCY_CACHE.name();
    static final String CACHE_MAX = LauncherVariable.WAVESTORE_DEPENDENCY_CACHE_MAX.name();
    static final String DEFAULT_CACHE_MAX = "10GiB";

    private final LauncherConfig config;
    private final ProcessRunner runner;
    private final ProgressReporter progress;

    DependencyInstaller(LauncherConfig config, ProcessRunner runner, ProgressReporter progress) {
        this.config = config;
        this.runner = runner;
        this.progress = progress;
    }

    /** Paths inside a venv the launcher uses. */
    record Venv(Path dir) {
        Path python() {
            return dir.resolve("bin").resolve("python");
        }

        /** The h2o-wave wheel puts waved and its web assets at the venv's root (its .data/data/ folder). */
        Path waved() {
            return dir.resolve("waved");
        }

        Path webDir() {
            return dir.resolve("www");
        }
    }

    Venv install(OpenedBundle bundle, AppMode mode, String bundleSha256, Map<String, String> baseEnv,
                 Instant deadline) throws LaunchFailure, InterruptedException {
        installSystemPackages(bundle, baseEnv, deadline);
        Venv venv = new Venv(config.venvDir());
        List<String> interpreter = pythonIdentity(baseEnv, deadline);
        String python = String.join(" ", interpreter);
        Optional<String> requirements = readRequirements(bundle);
        VenvFingerprint fingerprint = VenvFingerprint.of(python, requirements, bundleSha256);
        try {
            Files.createDirectories(venv.dir());
        } catch (IOException e) {
            throw new LaunchFailure("could not create the venv directory " + venv.dir() + ": " + e.getMessage(), e);
        }
        try (FileChannel lockFile = FileChannel.open(venv.dir().resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lock(lockFile, deadline)) {
            Path marker = venv.dir().resolve(MARKER);
            boolean complete = Files.isExecutable(venv.python()) && (mode != AppMode.WAVE
                    || Files.isExecutable(venv.waved()));
            VenvFingerprint.Decision decision = fingerprint.decide(readMarker(marker), complete);
            if (decision.reuse()) {
                progress.running(Step.INSTALLING_DEPENDENCIES, "Reusing the virtual environment in " + venv.dir()
                        + ": " + decision.reason());
                return venv;
            }
            Files.deleteIfExists(marker);
            AppSource.emptyDirectory(venv.dir(), List.of(LOCK));
            Optional<DependencyCache> cache = cache();
            Optional<Path> uv = Uv.find(config.environment());
            if (cache.isPresent() && uv.isPresent()) {
                new CachedVenvs(cache.get(), uv.get(), runner, progress).install(venv, bundle, mode,
                        fingerprint.cacheKey(mode == AppMode.WAVE), interpreter.get(interpreter.size() - 1),
                        decision.reason(), baseEnv, deadline);
            } else {
                progress.running(Step.INSTALLING_DEPENDENCIES, "Building the virtual environment in " + venv.dir()
                        + " with pip (" + decision.reason() + ")" + (requirements.isPresent()
                        ? " and installing requirements.txt" : "") + (cache.isPresent() ? "; uv is not here ("
                        + Uv.VARIABLE + "), so nothing is kept in the dependency cache" : ""));
                build(venv, bundle, mode, baseEnv, deadline);
            }
            Files.writeString(marker, fingerprint.toMarker());
            return venv;
        } catch (IOException e) {
            throw new LaunchFailure("could not prepare the virtual environment in " + venv.dir() + ": "
                    + e.getMessage(), e);
        }
    }

    private void build(Venv venv, OpenedBundle bundle, AppMode mode, Map<String, String> baseEnv, Instant deadline)
            throws LaunchFailure, InterruptedException {
        runner.run("venv", "creating the virtual environment (" + config.python() + " -m venv)",
                List.of(config.python(), "-m", "venv", venv.dir().toString()), bundle.root(), baseEnv, deadline);
        Map<String, String> env = pipEnvironment(baseEnv, venv);
        List<String> pip = List.of(venv.python().toString(), "-m", "pip", "install", "--no-input",
                "--progress-bar", "off");
        if (bundle.requirements().isPresent()) {
            List<String> command = new ArrayList<>(pip);
            command.addAll(List.of("-r", bundle.requirements().get().toString()));
            // From the app's directory, so relative paths in requirements.txt mean files of the bundle.
            runInstaller("pip", "pip install -r requirements.txt", command, bundle.root(), env, deadline);
        }
        if (mode == AppMode.WAVE && !Files.isExecutable(venv.waved())) {
            progress.running(Step.INSTALLING_DEPENDENCIES, "requirements.txt does not install h2o-wave; "
                    + "installing it for waved");
            List<String> command = new ArrayList<>(pip);
            command.add("h2o-wave");
            runInstaller("pip", "pip install h2o-wave", command, bundle.root(), env, deadline);
            if (!Files.isExecutable(venv.waved())) {
                throw new LaunchFailure("h2o-wave is installed but " + venv.waved() + " is missing: this platform's"
                        + " h2o-wave wheel has no waved (a Wave app needs the manylinux wheel)");
            }
        }
    }

    /** pip or uv: a failure names the installer's first error and the package that failed. */
    static ChildProcess runInstaller(ProcessRunner runner, String name, String what, List<String> command, Path dir,
                                     Map<String, String> env, Instant deadline)
            throws LaunchFailure, InterruptedException {
        try {
            return runner.run(name, what, command, dir, env, deadline);
        } catch (LaunchFailure failure) {
            Optional<String> reason = FailureReason.installError(failure.outputTail());
            throw reason.isEmpty() ? failure : new LaunchFailure(failure.getMessage() + ": " + reason.get(),
                    failure.outputTail(), failure);
        }
    }

    private void runInstaller(String name, String what, List<String> command, Path dir, Map<String, String> env,
                              Instant deadline) throws LaunchFailure, InterruptedException {
        runInstaller(runner, name, what, command, dir, env, deadline);
    }

    private static Map<String, String> pipEnvironment(Map<String, String> baseEnv, Venv venv) {
        Map<String, String> env = ChildEnvironment.inVenv(baseEnv, venv.dir());
        env.putIfAbsent("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        return env;
    }

    private void installSystemPackages(OpenedBundle bundle, Map<String, String> baseEnv, Instant deadline)
            throws LaunchFailure, InterruptedException {
        if (bundle.packages().isEmpty()) {
            return;
        }
        List<String> packages = SystemPackages.read(bundle.packages().get());
        if (packages.isEmpty()) {
            return;
        }
        String listed = packages.size() + " package" + (packages.size() == 1 ? "" : "s") + ": "
                + String.join(" ", packages);
        if (config.systemPackages() == LauncherConfig.SystemPackagesMode.SKIP) {
            progress.running(Step.INSTALLING_DEPENDENCIES, "Skipped packages.txt (" + listed
                    + "): this launcher does not install system packages (WAVESTORE_SYSTEM_PACKAGES=skip)");
            return;
        }
        if (!SystemPackages.runningAsRoot()) {
            progress.running(Step.INSTALLING_DEPENDENCIES, "Skipped packages.txt (" + listed
                    + "): the launcher does not run as root, so apt cannot install them");
            return;
        }
        progress.running(Step.INSTALLING_DEPENDENCIES, "Installing packages.txt with apt (" + listed + ")");
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("DEBIAN_FRONTEND", "noninteractive");
        runner.run("apt", "apt-get update", List.of("apt-get", "update", "-q"), bundle.root(), env, deadline);
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        install.addAll(packages);
        runner.run("apt", "apt-get install (packages.txt)", install, bundle.root(), env, deadline);
    }

    /** The dependency cache, when this launcher has one ({@code WAVESTORE_DEPENDENCY_CACHE}). */
    private Optional<DependencyCache> cache() throws LaunchFailure {
        Map<String, String> env = config.environment();
        Optional<String> root = Optional.ofNullable(env.get(CACHE)).filter(s -> !s.isBlank());
        if (root.isEmpty()) {
            return Optional.empty();
        }
        String max = Optional.ofNullable(env.get(CACHE_MAX)).filter(s -> !s.isBlank()).orElse(DEFAULT_CACHE_MAX);
        DependencyCache cache;
        try {
            cache = new DependencyCache(Path.of(root.get()), ByteSize.parse(max));
        } catch (IllegalArgumentException e) {
            throw new LaunchFailure(CACHE_MAX + " " + e.getMessage());
        }
        // A cache the pod's user may not write (a node directory made by root) slows starts down, it fails none.
        try {
            Files.createDirectories(cache.venvs());
            if (!Files.isWritable(cache.venvs())) {
                throw new IOException("not writable by this user");
            }
            return Optional.of(cache);
        } catch (IOException e) {
            progress.running(Step.INSTALLING_DEPENDENCIES, "The dependency cache " + cache.root() + " cannot be used ("
                    + e.getMessage() + "); installing without it");
            return Optional.empty();
        }
    }

    /** The base interpreter: its version and real path (the last line), which a venv depends on. */
    private List<String> pythonIdentity(Map<String, String> baseEnv, Instant deadline)
            throws LaunchFailure, InterruptedException {
        ChildProcess probe = runner.run("python", "checking the Python interpreter (WAVESTORE_PYTHON="
                        + config.python() + ")",
                List.of(config.python(), "-c", "import os, sys; print(sys.version.replace('\\n', ' ')); "
                        + "print(os.path.realpath(sys.executable))"),
                config.workDir().getParent(), baseEnv, deadline);
        return probe.tail();
    }

    private static Optional<String> readRequirements(OpenedBundle bundle) throws LaunchFailure {
        if (bundle.requirements().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(bundle.requirements().get()));
        } catch (IOException e) {
            throw new LaunchFailure("could not read requirements.txt: " + e.getMessage(), e);
        }
    }

    private static Optional<String> readMarker(Path marker) throws IOException {
        try {
            return Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS) ? Optional.of(Files.readString(marker))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Another instance of the same app may be building the venv on the shared resource volume right now; wait
     * for it (it then usually leaves a venv this one can reuse).
     */
    static FileLock lock(FileChannel channel, Instant deadline)
            throws IOException, LaunchFailure, InterruptedException {
        boolean told = false;
        while (true) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return lock;
            }
            if (!told) {
                Log.info("another launcher is building this virtual environment; waiting for it");
                told = true;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new LaunchFailure("another launcher held the virtual environment's lock until the install"
                        + " timeout (WAVESTORE_INSTALL_TIMEOUT)");
            }
            Thread.sleep(500);
        }
    }
}
