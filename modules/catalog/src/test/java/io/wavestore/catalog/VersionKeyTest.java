package io.wavestore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionKeyTest {

    @Test
    void keysSortLikeVersions() {
        List<String> ordered = List.of("0.1.0", "0.9", "1.0.0-alpha", "1.0.0-alpha.2", "1.0.0-alpha.10", "1.0.0-rc1",
                "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0", "10.0.0");
        List<String> shuffled = new ArrayList<>(ordered);
        java.util.Collections.shuffle(shuffled, new java.util.Random(7));
        // Byte order, as PostgreSQL's COLLATE "C" compares.
        shuffled.sort(Comparator.comparing(VersionKey::of));
        assertThat(shuffled).containsExactlyElementsOf(ordered);
    }

    @Test
    void leadingZerosAndCaseDoNotChangeTheOrder() {
        assertThat(VersionKey.of("1.01.0")).isEqualTo(VersionKey.of("1.1.0"));
        assertThat(VersionKey.of("1.0.0-RC1")).isEqualTo(VersionKey.of("1.0.0-rc1"));
    }
}
