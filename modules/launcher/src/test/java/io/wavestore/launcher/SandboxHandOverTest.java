package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the children get to own, with a sandbox user; chown needs root, so without it these tests are skipped. */
class SandboxHandOverTest {
    private static final int UID = 59999;

    @TempDir
    Path dir;
    private Sandbox sandbox;

    @BeforeEach
    void asRoot() throws ConfigException {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        sandbox = new Sandbox(LauncherConfig.fromEnvironment(Map.of("WAVESTORE_INSTANCE_ID", "i-abc",
                "WAVESTORE_BUNDLE_FILE", dir.resolve("app.wave").toString(),
                "WAVESTORE_WORK_DIR", dir.resolve("app").toString(), "WAVESTORE_VENV_DIR", dir.resolve("venv").toString(),
                "WAVESTORE_WAVE_DATA_DIR", dir.resolve("data").toString(), "WAVESTORE_SANDBOX", "bwrap",
                "WAVESTORE_SANDBOX_UID", Integer.toString(UID),
                "WAVESTORE_DEPENDENCY_CACHE", dir.resolve("cache").toString())));
    }

    @Test
    void everyDirectoryAndWhatIsInItBecomesTheSandboxUsersAtTheFirstStart() throws IOException {
        Path appFile = Files.writeString(Files.createDirectories(dir.resolve("app/static")).resolve("app.py"), "");
        Path cached = Files.writeString(Files.createDirectories(dir.resolve("cache/uv")).resolve("wheel"), "");

        sandbox.handOver();

        for (Path path : new Path[] {dir.resolve("app"), appFile.getParent(), appFile, dir.resolve("data"),
                dir.resolve("venv"), dir.resolve("cache"), cached}) {
            assertThat(owner(path)).as(path.toString()).isEqualTo(UID);
        }
    }

    @Test
    void theAppIsHandedOverAtEveryStartAndTheDirectoriesTheChildrenOwnAreNotWalkedAgain() throws IOException {
        sandbox.handOver();
        Path unpackedAgain = Files.writeString(dir.resolve("app/app.py"), "");
        Path lockOfTheLauncher = Files.writeString(dir.resolve("cache/venvs.lock"), "");

        sandbox.handOver();

        assertThat(owner(unpackedAgain)).isEqualTo(UID);
        assertThat(owner(lockOfTheLauncher)).as("the launcher's own file in a directory the children own").isZero();
    }

    private static int owner(Path path) throws IOException {
        return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }
}
