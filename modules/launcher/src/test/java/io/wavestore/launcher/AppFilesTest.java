package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppFilesTest {
    @TempDir
    Path tmp;

    private Path app() throws Exception {
        return Files.createDirectories(tmp.resolve("app")).toRealPath();
    }

    @Test
    void relativePathsLandInTheAppDirectoryReadableByTheOwnerOnly() throws Exception {
        Path app = app();
        Map<String, String> files = new LinkedHashMap<>();
        files.put("config/settings.ini", "[a]\nb=1\n");
        files.put("./token.txt", "secret");
        AppFiles.write(files, app, List.of());
        assertThat(app.resolve("config/settings.ini")).hasContent("[a]\nb=1");
        assertThat(Files.readString(app.resolve("token.txt"))).isEqualTo("secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(app.resolve("token.txt"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anExistingFileIsReplaced() throws Exception {
        Path app = app();
        Files.writeString(app.resolve("app.cfg"), "a much longer original content");
        AppFiles.write(Map.of("app.cfg", "new"), app, List.of());
        assertThat(Files.readString(app.resolve("app.cfg"))).isEqualTo("new");
    }

    @Test
    void pathsThatEscapeTheAppDirectoryAreRefused() throws Exception {
        Path app = app();
        for (String bad : List.of("../outside.txt", "a/../../outside.txt", "..", ".", "", "a\0b")) {
            assertThatThrownBy(() -> AppFiles.write(Map.of(bad, "x"), app, List.of()))
                    .as(bad).isInstanceOf(LaunchFailure.class);
        }
        assertThat(tmp.resolve("outside.txt")).doesNotExist();
    }

    @Test
    void absolutePathsNeedAnAllowedRoot() throws Exception {
        Path app = app();
        Path target = tmp.resolve("etc/app.conf");
        assertThatThrownBy(() -> AppFiles.write(Map.of(target.toString(), "x"), app, List.of()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("WAVESTORE_APP_FILES_ROOTS")
                .hasMessageContaining("only paths relative");
        Path root = tmp.resolve("etc");
        assertThatThrownBy(() -> AppFiles.write(Map.of(tmp.resolve("elsewhere/x").toString(), "x"), app,
                List.of(root))).isInstanceOf(LaunchFailure.class).hasMessageContaining("not under an allowed");
        assertThatThrownBy(() -> AppFiles.write(Map.of(root + "/../escape", "x"), app, List.of(root)))
                .isInstanceOf(LaunchFailure.class);

        AppFiles.write(Map.of(target.toString(), "ok"), app, List.of(root));
        assertThat(Files.readString(target)).isEqualTo("ok");
    }

    @Test
    void symbolicLinksCannotLeadOut() throws Exception {
        Path app = app();
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(app.resolve("linked"), outside);
        assertThatThrownBy(() -> AppFiles.write(Map.of("linked/x.txt", "x"), app, List.of()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("symbolic link");
        assertThat(outside.resolve("x.txt")).doesNotExist();

        Path victim = Files.writeString(tmp.resolve("victim.txt"), "original");
        Files.createSymbolicLink(app.resolve("file-link"), victim);
        assertThatThrownBy(() -> AppFiles.write(Map.of("file-link", "x"), app, List.of()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("original");
    }

    @Test
    void messagesNameThePathButNeverTheContent() throws Exception {
        Path app = app();
        assertThatThrownBy(() -> AppFiles.write(Map.of("../creds", "hunter2"), app, List.of()))
                .hasMessageContaining("'../creds'").hasMessageNotContaining("hunter2");
    }

    @Test
    void secretFilesMountedElsewhereAreCopiedIntoTheAppDirectoryByteForByte() throws Exception {
        Path app = app();
        Path mounted = Files.createDirectories(tmp.resolve("secret-files/0")).resolve("key.bin");
        byte[] binary = {0, (byte) 0xff, 10, 13, 'k'};
        Files.write(mounted, binary);
        AppFiles.copySecrets(Map.of("creds/key.bin", mounted), app, List.of());
        assertThat(app.resolve("creds/key.bin")).hasBinaryContent(binary);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(app.resolve("creds/key.bin"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aSecretFileThatIsMissingOrWouldEscapeIsRefusedByName() throws Exception {
        Path app = app();
        Path mounted = Files.writeString(tmp.resolve("mounted"), "s3cr3t");
        assertThatThrownBy(() -> AppFiles.copySecrets(Map.of("token", tmp.resolve("absent")), app, List.of()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("'token'").hasMessageContaining("absent");
        assertThatThrownBy(() -> AppFiles.copySecrets(Map.of("../stolen", mounted), app, List.of()))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("escapes")
                .hasMessageNotContaining("s3cr3t");
        assertThat(tmp.resolve("stolen")).doesNotExist();
    }
}
