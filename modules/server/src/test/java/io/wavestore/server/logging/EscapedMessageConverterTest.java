package io.wavestore.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class EscapedMessageConverterTest {

    private final Logger logger = new LoggerContext().getLogger("test");
    private final EscapedMessageConverter converter = new EscapedMessageConverter();

    private String render(String template, Object... arguments) {
        return converter.convert(new LoggingEvent("fqcn", logger, Level.WARN, template, null, arguments));
    }

    @Test
    void argumentsNeverCarryLineBreaksOrOtherControlCharacters() {
        assertThat(render("instance {}: not found", "x\r\n12:00:00.000 ERROR forged\u0000\u001b[31m"))
                .isEqualTo("instance x\\r\\n12:00:00.000 ERROR forged\\u0000\\u001b[31m: not found");
        assertThat(render("a {} b {}", "tab\there", 42)).isEqualTo("a tab\\there b 42");
        assertThat(render("line {}", "sep\u2028arator")).isEqualTo("line sep\\u2028arator");
    }

    @Test
    void aTemplatesOwnLayoutIsKeptButOtherControlsAreEscaped() {
        assertThat(render("banner\n  second line\twith tab")).isEqualTo("banner\n  second line\twith tab");
        assertThat(render("pekko says \r\u0007bell")).isEqualTo("pekko says \\r\\u0007bell");
        assertThat(render("plain", (Object[]) null)).isEqualTo("plain");
    }

    @Test
    void nullArgumentsStayNull() {
        assertThat(render("value {}", (Object) null)).isEqualTo("value null");
    }
}
