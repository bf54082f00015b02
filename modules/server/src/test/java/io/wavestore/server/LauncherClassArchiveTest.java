package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherClassArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aChangedJarOrJvmOptionNamesAnotherArchive() throws IOException {
        Path jar = Files.writeString(dir.resolve("launcher.jar"), "one");
        List<String> options = List.of("-Xmx64m");
        String before = LauncherClassArchive.digest("java", options, jar.toString());

        assertThat(LauncherClassArchive.digest("java", options, jar.toString())).isEqualTo(before);
        assertThat(LauncherClassArchive.digest("java", List.of("-Xmx32m"), jar.toString())).isNotEqualTo(before);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertThat(LauncherClassArchive.digest("java", options, jar.toString())).isNotEqualTo(before);
    }

    @Test
    void aClassPathWithDirectoriesGetsNoArchiveAndNothingIsWritten() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path archives = dir.resolve("archives");

        assertThat(LauncherClassArchive.ensure(archives, "java", List.of(), classes + File.pathSeparator + "a.jar",
                RuntimeFactory.LAUNCHER_MAIN)).isEmpty();
        assertThat(archives).doesNotExist();
    }
}
