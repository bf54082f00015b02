package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real training run of the launcher, and a launcher JVM that must map the archive it made (-Xshare:on). */
class LauncherClassArchiveIT {

    @TempDir
    Path dir;

    @Test
    void theArchiveIsMadeOnceAndALauncherJvmMapsIt() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> options = List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1");
        String classpath = LauncherClasspath.of(System.getProperty("java.class.path"));
        Path archives = dir.resolve("launcher-classes");
        Path abandoned = Files.createDirectories(archives.resolve(".training-of-a-store-killed-meanwhile"));
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path underWay = Files.createDirectories(archives.resolve(".training-of-another-replica"));

        Path archive = LauncherClassArchive.ensure(archives, java, options, classpath, RuntimeFactory.LAUNCHER_MAIN)
                .orElseThrow(() -> new AssertionError("no archive for " + classpath));
        var made = Files.getLastModifiedTime(archive);

        assertThat(LauncherClassArchive.ensure(archives, java, options, classpath, RuntimeFactory.LAUNCHER_MAIN))
                .contains(archive);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(made);
        try (var left = Files.list(archives)) {
            assertThat(left).containsExactlyInAnyOrder(archive, underWay);
        }
        // -Xshare:on fails the JVM when the archive cannot be mapped; the launcher then exits 2 (no configuration).
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        command.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", classpath,
                RuntimeFactory.LAUNCHER_MAIN));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        Process launcher = builder.start();
        String output = new String(launcher.getInputStream().readAllBytes());
        assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("configuration error");
    }
}
