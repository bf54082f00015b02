package io.wavestore.server;

import io.wavestore.launcher.LauncherVariable;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The part of the store's class path the launcher needs: its jar and the jars its manifest names (its
 * {@code Class-Path}, the launcher's own dependencies). A JVM looks a class up in the class path's jars in order,
 * opening each one on the way, so the launcher's 10 jars start it faster than the store's 350
 * (loadtest/instance-start-time.md). When the launcher is not a jar with that manifest (classes in a build
 * directory), or one of its jars is not on the store's class path, the whole class path it is.
 */
final class LauncherClasspath {
    private LauncherClasspath() {
    }

    static String of(String storeClasspath) {
        return launcherJar().flatMap(jar -> select(storeClasspath, jar)).orElse(storeClasspath);
    }

    /** The launcher's jar and, of the store's class path, the entries whose file names its manifest lists. */
    static Optional<String> select(String storeClasspath, Path launcherJar) {
        Set<String> wanted;
        try (JarFile jar = new JarFile(launcherJar.toFile())) {
            String listed = jar.getManifest() == null ? null
                    : jar.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (listed == null) {
                return Optional.empty();
            }
            wanted = new LinkedHashSet<>();
            for (String entry : listed.trim().split("\\s+")) {
                wanted.add(Path.of(entry).getFileName().toString());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        List<String> selected = new ArrayList<>(List.of(launcherJar.toString()));
        Set<String> found = new LinkedHashSet<>();
        for (String entry : storeClasspath.split(File.pathSeparator)) {
            Path name = Path.of(entry).getFileName();
            if (name != null && wanted.contains(name.toString()) && found.add(name.toString())) {
                selected.add(entry);
            }
        }
        return found.equals(wanted) ? Optional.of(String.join(File.pathSeparator, selected)) : Optional.empty();
    }

    private static Optional<Path> launcherJar() {
        try {
            Path location = Path.of(LauncherVariable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) ? Optional.of(location) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
