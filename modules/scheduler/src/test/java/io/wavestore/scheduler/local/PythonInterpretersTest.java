package io.wavestore.scheduler.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.bundle.RuntimeSection;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RuntimeVersion chooses the Python a local instance runs on, or its start is refused naming what there is. */
class PythonInterpretersTest {

    @TempDir
    Path dir;

    @Test
    void aRuntimeVersionNamesItsPython() {
        assertThat(PythonInterpreters.requested("deb11_py310_wlatest")).contains("3.10");
        assertThat(PythonInterpreters.requested("ub2004_cuda114_cudnn8_py38_wlatest")).contains("3.8");
        assertThat(PythonInterpreters.requested("py3.12")).contains("3.12");
        assertThat(PythonInterpreters.requested("custom-runtime")).isEmpty();
    }

    @Test
    void findsAnInterpreterOfTheVersionThatRuns() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path other = Files.createDirectories(dir.resolve("pyenv").resolve("versions").resolve("3.12.1").resolve("bin"));
        fakePython(bin.resolve("python3.11"), "3.11");
        fakePython(other.resolve("python3.12"), "3.12");
        fakeBrokenPython(bin.resolve("python3.13")); // a pyenv shim of a version not selected: it does not run
        PythonInterpreters pythons = new PythonInterpreters(List.of(bin, other));

        assertThat(pythons.find("3.11")).contains(bin.resolve("python3.11"));
        assertThat(pythons.find("3.12")).contains(other.resolve("python3.12"));
        assertThat(pythons.find("3.13")).isEmpty();
        assertThat(pythons.available()).containsOnlyKeys("3.11", "3.12");
    }

    @Test
    void aLocalStartAskingForAPythonThisMachineLacksIsRefusedNamingTheVersionsThereAre() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        fakePython(bin.resolve("python3.11"), "3.11");
        Path root = dir.resolve("instances");
        LocalRuntime runtime = new LocalRuntime(new LocalSettings(root, List.of("/nonexistent/launcher"), Map.of(),
                Duration.ofSeconds(1), Duration.ofSeconds(1)), Clock.systemUTC(), id -> "", Optional.empty(), Optional.empty(),
                new PythonInterpreters(List.of(bin)));

        InstanceSpec spec = withRuntimeVersion(LocalRuntimeSharedRootTest.spec("py-1", false), "deb11_py310_wlatest");
        assertThatThrownBy(() -> runtime.install(spec)).isInstanceOf(RuntimeFailure.class)
                .hasMessageContaining("RuntimeVersion deb11_py310_wlatest asks for Python 3.10")
                .hasMessageContaining("3.11 (" + bin.resolve("python3.11") + ")");
        assertThat(runtime.list()).isEmpty();
        assertThat(root.resolve("py-1")).as("a refused start leaves nothing").doesNotExist();
    }

    static InstanceSpec withRuntimeVersion(InstanceSpec spec, String runtimeVersion) {
        RuntimeSection r = spec.runtime();
        RuntimeSection runtime = new RuntimeSection(r.module(), Optional.of(runtimeVersion), r.memoryLimit(),
                r.memoryReservation(), r.cpuLimit(), r.cpuReservation(), r.gpuCount(), r.gpuType(), r.volumeMount(),
                r.volumeSize(), r.resourceVolumeSize(), r.enableOidc(), r.enableShm(), RoutingMode.BASE_URL,
                AppMode.WAVE, r.port(), r.entryRoute());
        return new InstanceSpec(spec.record(), runtime, spec.env(), spec.files(), spec.launcher());
    }

    private static void fakePython(Path file, String version) throws IOException {
        Files.writeString(file, "#!/bin/sh\necho " + version + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void fakeBrokenPython(Path file) throws IOException {
        Files.writeString(file, "#!/bin/sh\necho 'pyenv: python3.13: command not found' >&2\nexit 127\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
