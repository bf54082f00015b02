package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Quantities, durations, natural order, error codes, limits. */
class SmallPartsTest {
    @ParameterizedTest
    @CsvSource({"512Mi,536870912", "1Gi,1073741824", "0.5,0.5", "2,2", "500m,0.5", "1.5,1.5", "1k,1000",
            "1e3,1000", "1E3,1000", "2E,2000000000000000000", "100n,0.0000001", ".5,0.5", "1.,1", "4Ki,4096"})
    void parsesKubernetesQuantities(String text, String value) {
        assertThat(Quantity.parse(text).value()).isEqualByComparingTo(new BigDecimal(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "512MB", "1gi", "-1", "+1", "1 Gi", "Gi", "1.2.3", "0x10", "1e", "1e1000", "lots"})
    void refusesWhatIsNotAQuantity(String text) {
        assertThatThrownBy(() -> Quantity.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Kubernetes quantity");
    }

    @ParameterizedTest
    @CsvSource({"2h,PT2H", "30m,PT30M", "1h30m,PT1H30M", "90s,PT1M30S", "1d,PT24H", "1d2h3m4s,PT26H3M4S"})
    void parsesDurations(String text, String iso) {
        assertThat(DurationFormat.parse(text)).isEqualTo(Duration.parse(iso));
        assertThat(DurationFormat.parse(DurationFormat.format(Duration.parse(iso)))).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2", "h", "2 h", "1.5h", "30m2h", "-1h", "0s", "2H", "1w"})
    void refusesWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> DurationFormat.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sortsNaturally() {
        List<String> names = new ArrayList<>(List.of("screenshot10.png", "screenshot2.png", "screenshot1.png",
                "screenshot.png", "Screenshot3.png", "screenshot02.png", "screenshot99999999999999999999.png"));
        names.sort(NaturalOrder.INSTANCE);
        assertThat(names).containsExactly("screenshot.png", "screenshot1.png", "screenshot02.png",
                "screenshot2.png", "Screenshot3.png", "screenshot10.png", "screenshot99999999999999999999.png");
    }

    @Test
    void errorCodesAreStableKebabCase() {
        for (BundleError error : BundleError.values()) {
            assertThat(error.code()).matches("[a-z]+(-[a-z0-9]+)*");
            assertThat(error.title()).isNotBlank();
        }
        assertThat(BundleError.ENTRY_ESCAPES_ROOT.code()).isEqualTo("entry-escapes-root");
        assertThat(BundleError.NOT_A_ZIP.code()).isEqualTo("not-a-zip");
    }

    @Test
    void limitsMustBePositive() {
        assertThat(BundleLimits.defaults().maxImagePixels()).isEqualTo(4096 * 4096);
        assertThatThrownBy(() -> new BundleLimits(0, 1, 1, 1, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BundleLimits(1, 1, 1, 0.5, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
