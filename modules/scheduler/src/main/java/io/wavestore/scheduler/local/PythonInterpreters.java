package io.wavestore.scheduler.local;

import io.wavestore.scheduler.runtime.RuntimeVersions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Python interpreters on this machine, by version ({@code 3.11}), for the Python an app's RuntimeVersion asks
 * for ({@code deb11_py310_wlatest}: 3.10). Looked for as {@code python3.X} on PATH and in the usual places (Debian's
 * /usr/bin, /usr/local/bin, /opt/python*, pyenv's versions); a candidate counts only when it runs and says it is that
 * version (a pyenv shim of a version that is not selected does not run).
 */
final class PythonInterpreters {
    private static final Pattern NAME = Pattern.compile("python(3\\.\\d{1,2})");

    private final List<Path> searchDirs;
    /** Found once, kept: probing interpreters costs a process each, and a start must stay quick. */
    private final Map<String, Path> found = new ConcurrentHashMap<>();

    PythonInterpreters(List<Path> searchDirs) {
        this.searchDirs = List.copyOf(searchDirs);
    }

    /** The Python version a RuntimeVersion names: {@code py310} or {@code py3.10} in it; none when it names none. */
    static Optional<String> requested(String runtimeVersion) {
        return RuntimeVersions.python(runtimeVersion);
    }

    /** An interpreter of {@code version} (3.10) that runs. */
    Optional<Path> find(String version) {
        Path known = found.get(version);
        if (known != null && Files.isExecutable(known)) {
            return Optional.of(known);
        }
        for (Path dir : searchDirs) {
            Path candidate = dir.resolve("python" + version);
            if (Files.isExecutable(candidate) && version.equals(versionOf(candidate))) {
                found.put(version, candidate);
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Every version found, with one interpreter each. */
    SortedMap<String, Path> available() {
        Set<String> versions = new LinkedHashSet<>();
        for (Path dir : searchDirs) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "python3.*")) {
                for (Path file : files) {
                    Matcher m = NAME.matcher(file.getFileName().toString());
                    if (m.matches()) {
                        versions.add(m.group(1));
                    }
                }
            } catch (IOException e) {
                // not there: nothing from it
            }
        }
        SortedMap<String, Path> available = new TreeMap<>(PythonInterpreters::compareVersions);
        for (String version : versions) {
            find(version).ifPresent(path -> available.put(version, path));
        }
        return available;
    }

    /** PATH's directories, then the usual places, then pyenv's installed versions (not its shims: they need a choice). */
    static PythonInterpreters onThisMachine(Map<String, String> env) {
        List<Path> dirs = new ArrayList<>();
        for (String dir : Optional.ofNullable(env.get("PATH")).orElse("").split(":")) {
            if (!dir.isEmpty() && !dir.endsWith("/shims")) {
                dirs.add(Path.of(dir));
            }
        }
        dirs.addAll(List.of(Path.of("/usr/local/bin"), Path.of("/usr/bin")));
        Path pyenv = Optional.ofNullable(env.get("PYENV_ROOT")).map(Path::of)
                .orElse(Path.of(Optional.ofNullable(env.get("HOME")).orElse("/root"), ".pyenv"));
        for (Path parent : List.of(Path.of("/opt"), pyenv.resolve("versions"))) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(parent)) {
                children.forEach(child -> dirs.add(child.resolve("bin")));
            } catch (IOException e) {
                // not there
            }
        }
        return new PythonInterpreters(new ArrayList<>(new LinkedHashSet<>(dirs)));
    }

    /** What {@code python} says its version is ({@code 3.11}), or null when it does not run. */
    private static String versionOf(Path python) {
        try {
            Process process = new ProcessBuilder(python.toString(), "-c",
                    "import sys; print('%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int compareVersions(String a, String b) {
        return Integer.compare(Integer.parseInt(a.substring(a.indexOf('.') + 1)),
                Integer.parseInt(b.substring(b.indexOf('.') + 1)));
    }
}
