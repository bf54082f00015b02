package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class WaveRouteRewriteTest {

    private static final List<String> ALIASES = List.of("sales", "sales-eu");

    @Test
    void namesTheInstancesOwnRouteForItsAliases() {
        assertThat(WaveRouteRewrite.rewrite("+ /instance/sales/ tab", "i-1", ALIASES)).isEqualTo("+ /instance/i-1/ tab");
        assertThat(WaveRouteRewrite.rewrite("@ /instance/sales-eu/ {\"x\":1}", "i-1", ALIASES))
                .isEqualTo("@ /instance/i-1/ {\"x\":1}");
        assertThat(WaveRouteRewrite.rewrite("* /instance/sales/ {}", "i-1", ALIASES)).isEqualTo("* /instance/i-1/ {}");
    }

    @Test
    void leavesEverythingElseAlone() {
        assertThat(WaveRouteRewrite.rewrite("+ /instance/i-1/ ", "i-1", ALIASES)).isEqualTo("+ /instance/i-1/ ");
        assertThat(WaveRouteRewrite.rewrite("+ /instance/salesman/ ", "i-1", ALIASES)).isEqualTo("+ /instance/salesman/ ");
        assertThat(WaveRouteRewrite.rewrite("# /instance/sales/ ", "i-1", ALIASES)).isEqualTo("# /instance/sales/ ");
        assertThat(WaveRouteRewrite.rewrite("@ {\"path\":\"/instance/sales/\"}", "i-1", ALIASES))
                .isEqualTo("@ {\"path\":\"/instance/sales/\"}");
        assertThat(WaveRouteRewrite.rewrite("+", "i-1", ALIASES)).isEqualTo("+");
    }
}
