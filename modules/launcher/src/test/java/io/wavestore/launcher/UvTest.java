package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UvTest {

    /** A link on PATH (as .ci/run makes one) is followed: the sandbox shows the binary's directory, not the link's. */
    @Test
    void uvFoundThroughALinkIsNamedByTheBinarysOwnPath(@TempDir Path dir) throws Exception {
        Path binary = Files.createDirectories(dir.resolve("uv-venv/bin")).resolve("uv");
        Files.writeString(binary, "#!/bin/sh\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path links = Files.createDirectories(dir.resolve("bin"));
        Files.createSymbolicLink(links.resolve("uv"), binary);

        assertThat(Uv.find(Map.of("PATH", links.toString()))).contains(binary.toRealPath());
        assertThat(Uv.find(Map.of(Uv.VARIABLE, links.resolve("uv").toString()))).contains(binary.toRealPath());
        assertThat(Uv.find(Map.of("PATH", dir.resolve("nothing-here").toString()))).isEmpty();
    }
}
