package io.wavestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobServerBinariesTest {

    private static final String PROPERTY = "wavestore.test.blobServerBinaries.bin";

    @TempDir
    Path dir;

    @Test
    void aConfiguredDirectoryWithoutTheServerSaysHowToInstallIt() {
        System.setProperty(PROPERTY, dir.toString());
        try {
            assertThatThrownBy(() -> BlobServerBinaries.locate("azurite", PROPERTY, "WAVESTORE_TEST_UNSET", "azurite-blob"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.toString())
                    .hasMessageContaining("bash modules/testkit/blob-servers/build.sh azurite");
        } finally {
            System.clearProperty(PROPERTY);
        }
    }

    @Test
    void aConfiguredDirectoryWithTheServerIsUsed() throws IOException {
        Path server = Files.createFile(dir.resolve("fake-gcs-server"));
        assertThat(server.toFile().setExecutable(true)).isTrue();
        System.setProperty(PROPERTY, dir.toString());
        try {
            assertThat(BlobServerBinaries.locate("fake-gcs-server", PROPERTY, "WAVESTORE_TEST_UNSET", "fake-gcs-server"))
                    .isEqualTo(dir);
        } finally {
            System.clearProperty(PROPERTY);
        }
    }
}
