package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlobDigestsTest {

    @Test
    void acceptsOnlySixtyFourLowercaseHexCharacters() {
        assertThat(BlobDigests.isValid("0123456789abcdef".repeat(4))).isTrue();
        assertThat(BlobDigests.isValid("0123456789ABCDEF".repeat(4))).isFalse();
        assertThat(BlobDigests.isValid("0123456789abcdef".repeat(4) + "\n")).isFalse();
        assertThat(BlobDigests.isValid("g".repeat(64))).isFalse();
        assertThat(BlobDigests.isValid(null)).isFalse();
    }

    @Test
    void refusalQuotesTheValueWithoutControlCharacters() {
        assertThatThrownBy(() -> BlobDigests.requireValid("../etc/passwd\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"../etc/passwd?\"");
    }
}
