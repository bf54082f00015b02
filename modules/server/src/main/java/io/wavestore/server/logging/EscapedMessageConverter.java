package io.wavestore.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.slf4j.helpers.MessageFormatter;

/**
 * {@code %safeMsg}: the log message with control characters escaped, so that a value a request supplied (an id, a
 * name, a header) can never start a forged log line or hide one with CR, LF, NUL or terminal escapes.
 *
 * <p>Arguments ({@code {}}) are where request values go: every control character in them is escaped, line feeds
 * included. A message without arguments is a template written in the code, or one that pekko formatted itself (from
 * parsed HTTP, which cannot carry a line feed): its line feeds and tabs are kept (a multi-line banner stays
 * readable), every other control character is escaped.
 */
public final class EscapedMessageConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        Object[] arguments = event.getArgumentArray();
        if (arguments == null || arguments.length == 0) {
            return escape(event.getFormattedMessage(), true);
        }
        Object[] escaped = new Object[arguments.length];
        for (int i = 0; i < arguments.length; i++) {
            escaped[i] = arguments[i] == null ? null : escape(String.valueOf(arguments[i]), false);
        }
        return MessageFormatter.basicArrayFormat(event.getMessage(), escaped);
    }

    /** @param keepLines keep line feeds and tabs (a template's own layout) */
    static String escape(String text, boolean keepLines) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
            if (!control || (keepLines && (c == '\n' || c == '\t'))) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }
}
