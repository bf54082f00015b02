package io.wavestore.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalPathTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/apps?tag=ml       | /apps?tag=ml",
            "/                  | /",
            "https://evil.test/ | /",
            "//evil.test/       | /",
            "/\\evil.test       | /",
            "apps               | /",
            "javascript:alert(1)| /"})
    void onlyLocalPathsAreKept(String returnTo, String expected) {
        assertThat(LocalPath.orRoot(Optional.of(returnTo.strip()))).isEqualTo(expected);
        assertThat(LocalPath.orRoot(Optional.empty())).isEqualTo("/");
        assertThat(LocalPath.isLocal("/a\r\nSet-Cookie: x")).isFalse();
    }
}
