package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherClasspathTest {

    @TempDir
    Path dir;

    @Test
    void theLauncherGetsItsJarAndTheJarsItsManifestNamesOnly() throws IOException {
        Path launcher = jar("wavestore-launcher.jar", "lib/bundle.jar lib/jackson-core.jar");
        String store = String.join(File.pathSeparator, "/store/classes", "/m2/pekko-actor.jar", "/m2/bundle.jar",
                "/m2/netty.jar", "/m2/jackson-core.jar", launcher.toString());

        assertThat(LauncherClasspath.select(store, launcher)).contains(String.join(File.pathSeparator,
                launcher.toString(), "/m2/bundle.jar", "/m2/jackson-core.jar"));
    }

    @Test
    void aJarOfTheLaunchersMissingFromTheStoresClassPathMeansTheWholeClassPath() throws IOException {
        Path launcher = jar("wavestore-launcher.jar", "lib/bundle.jar lib/jackson-core.jar");

        assertThat(LauncherClasspath.select("/m2/bundle.jar" + File.pathSeparator + launcher, launcher)).isEmpty();
    }

    @Test
    void aLauncherJarWithoutClassPathInItsManifestMeansTheWholeClassPath() throws IOException {
        Path launcher = jar("wavestore-launcher.jar", null);

        assertThat(LauncherClasspath.select(launcher.toString(), launcher)).isEmpty();
        assertThat(LauncherClasspath.of("/not/a/launcher/classes")).isNotBlank();
    }

    private Path jar(String name, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
