package io.wavestore.testkit;

/** Joins the parts of a WebSocket's text messages, as a {@code WebSocket.Listener} receives them, into messages. */
public final class TextMessages {

    private final StringBuilder partial = new StringBuilder();

    /** Adds a part; returns the whole message once {@code last} says it is complete, else null. */
    public String add(CharSequence part, boolean last) {
        partial.append(part);
        if (!last) {
            return null;
        }
        String message = partial.toString();
        partial.setLength(0);
        return message;
    }
}
