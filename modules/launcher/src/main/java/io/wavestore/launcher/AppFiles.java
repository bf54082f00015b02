package io.wavestore.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the instance's files ({@code [[File]]} of app.toml, resolved by the store) before the app starts. A
 * relative path lands in the app's directory; an absolute one only under a directory the operator allows
 * ({@code WAVESTORE_APP_FILES_ROOTS}, e.g. {@code /} in a pod, nothing for a local process on someone's machine).
 * A path that leaves its root, by {@code ..} or through a symbolic link, is refused. Files may hold secrets, so
 * they are readable by the app's user only.
 */
final class AppFiles {
    private AppFiles() {}

    /** Writes every file; the first bad path stops the lot (the message names the path, never the content). */
    static List<Path> write(Map<String, String> files, Path appDir, List<Path> absoluteRoots) throws LaunchFailure {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path target = resolve(file.getKey(), appDir, absoluteRoots);
            try {
                writeOne(target, file.getValue().getBytes(StandardCharsets.UTF_8), rootOf(target, appDir, absoluteRoots));
            } catch (IOException e) {
                throw new LaunchFailure("could not write the file '" + LauncherConfig.printable(file.getKey())
                        + "': " + e.getMessage(), e);
            }
            written.add(target);
        }
        return written;
    }

    /**
     * Copies files mounted from Kubernetes Secrets ({@code {"relative path": "mounted file"}}) into the app's
     * directory, where the app expects them; same rules as {@link #write}. The content is never echoed.
     */
    static List<Path> copySecrets(Map<String, Path> files, Path appDir, List<Path> absoluteRoots) throws LaunchFailure {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, Path> file : files.entrySet()) {
            Path target = resolve(file.getKey(), appDir, absoluteRoots);
            byte[] content;
            try {
                content = Files.readAllBytes(file.getValue());
            } catch (IOException e) {
                throw new LaunchFailure("could not read the secret file '" + LauncherConfig.printable(file.getKey())
                        + "' mounted at " + file.getValue() + ": " + e, e);
            }
            try {
                writeOne(target, content, rootOf(target, appDir, absoluteRoots));
            } catch (IOException e) {
                throw new LaunchFailure("could not write the file '" + LauncherConfig.printable(file.getKey())
                        + "': " + e.getMessage(), e);
            }
            written.add(target);
        }
        return written;
    }

    /** Where {@code path} is written, or why not. */
    static Path resolve(String path, Path appDir, List<Path> absoluteRoots) throws LaunchFailure {
        String shown = "'" + LauncherConfig.printable(path) + "'";
        if (path.isBlank() || path.indexOf('\0') >= 0) {
            throw new LaunchFailure("the file path " + shown + " is empty or has a NUL character");
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new LaunchFailure("the file path " + shown + " is not a valid path");
        }
        if (!p.isAbsolute()) {
            Path target = appDir.resolve(p).normalize();
            if (!target.startsWith(appDir) || target.equals(appDir)) {
                throw new LaunchFailure("the file path " + shown + " escapes the app's directory");
            }
            return target;
        }
        Path target = p.normalize();
        for (Path root : absoluteRoots) {
            if (target.startsWith(root) && !target.equals(root)) {
                return target;
            }
        }
        throw new LaunchFailure("the file path " + shown + " is absolute, and "
                + (absoluteRoots.isEmpty() ? "this launcher allows only paths relative to the app's directory"
                : "it is not under an allowed directory (" + absoluteRoots + ")")
                + " (WAVESTORE_APP_FILES_ROOTS)");
    }

    private static Path rootOf(Path target, Path appDir, List<Path> absoluteRoots) {
        if (target.startsWith(appDir)) {
            return appDir;
        }
        return absoluteRoots.stream().filter(target::startsWith).findFirst().orElseThrow();
    }

    private static void writeOne(Path target, byte[] content, Path root) throws IOException, LaunchFailure {
        Files.createDirectories(target.getParent());
        // The directories may be links (made by the bundle, or there before): check where they really lead.
        Path realParent = target.getParent().toRealPath();
        Path realRoot = root.toRealPath();
        if (!realParent.startsWith(realRoot)) {
            throw new LaunchFailure("the file path '" + target + "' leads through a symbolic link out of " + root);
        }
        Path real = realParent.resolve(target.getFileName());
        if (Files.isSymbolicLink(real)) {
            throw new LaunchFailure("the file path '" + target + "' is a symbolic link; refusing to write through it");
        }
        try (OutputStream out = Files.newOutputStream(real, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            out.write(content);
        }
        try {
            Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // keep the file system's default
        }
    }
}
