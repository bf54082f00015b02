package io.wavestore.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wavestore.cli.CliFailure;
import io.wavestore.cli.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretValuesTest {

    private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    @TempDir
    Path dir;

    @Test
    void literalsAndFilesAreTheValuesAndStdinIsNotRead() throws IOException {
        Path pem = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN-----\nx=y\n");
        InputStream unread = stdin("IGNORED=1");

        Map<String, String> values = SecretValues.read(List.of("user=olga", "password=a=b=c"), List.of("cert.pem=" + pem),
                unread);

        assertThat(values).containsExactly(Map.entry("user", "olga"), Map.entry("password", "a=b=c"),
                Map.entry("cert.pem", "-----BEGIN-----\nx=y\n"));
        assertThat(unread.available()).isPositive();
    }

    @Test
    void withoutOptionsTheValuesAreKeyValueLinesOnStdin() {
        assertThat(SecretValues.read(List.of(), List.of(), stdin("# from the vault\nuser=olga\n\npassword=p w\n")))
                .containsExactly(Map.entry("user", "olga"), Map.entry("password", "p w"));
    }

    @Test
    void aBadPairOrATwiceGivenKeyIsAUsageErrorThatNeverRepeatsAValue() {
        assertThatThrownBy(() -> SecretValues.read(List.of("s3cr3t-no-key"), List.of(), NO_STDIN))
                .isInstanceOf(CliFailure.class).hasMessageContaining("expected KEY=VALUE").hasMessageNotContaining("s3cr3t")
                .extracting(e -> ((CliFailure) e).exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThatThrownBy(() -> SecretValues.read(List.of(), List.of(), stdin("k=s3cr3t-1\nk=s3cr3t-2")))
                .isInstanceOf(CliFailure.class).hasMessageContaining("the key 'k' is given twice")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> SecretValues.read(List.of(), List.of(), NO_STDIN))
                .isInstanceOf(CliFailure.class).hasMessageContaining("no values");
        assertThatThrownBy(() -> SecretValues.read(List.of(), List.of("k=" + dir.resolve("absent")), NO_STDIN))
                .isInstanceOf(CliFailure.class).hasMessageContaining("--from-file k: cannot read");
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
