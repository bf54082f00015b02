package io.wavestore.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class EscapedThrowableConverterTest {

    @Test
    void messagesOfAnExceptionAndItsCausesAreEscapedTheTraceKept() {
        LoggerContext context = new LoggerContext();
        EscapedThrowableConverter converter = new EscapedThrowableConverter();
        converter.setContext(context);
        converter.start();
        IllegalStateException error = new IllegalStateException("wrapping",
                new IllegalArgumentException("not an id: x\r\n12:00:00.000 ERROR forged"));
        String trace = converter.convert(new LoggingEvent("fqcn", context.getLogger("test"), Level.ERROR, "failed",
                error, null));
        assertThat(trace).contains("not an id: x\\r\\n12:00:00.000 ERROR forged").doesNotContain("\r")
                .contains("java.lang.IllegalStateException: wrapping")
                .contains("at io.wavestore.server.logging.EscapedThrowableConverterTest");
        assertThat(trace.lines().filter(line -> line.contains("ERROR forged"))).hasSize(1);
    }
}
