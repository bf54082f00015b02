package io.wavestore.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads a refusal as a {@link Problem}; an answer that is not problem+json (a proxy's page...) becomes one. */
final class ProblemReader {

    private static final int MAX_DETAIL = 300;

    private ProblemReader() {
    }

    static Problem read(int status, String reason, String mediaType, byte[] body) {
        if (mediaType.endsWith("json")) {
            try {
                Problem p = ClientJson.mapper().readValue(body, Problem.class);
                if (p.type() != null) {
                    return new Problem(p.type(), p.title(), p.status() != 0 ? p.status() : status, p.detail(), p.field(),
                            p.errors());
                }
            } catch (IOException e) {
                // not a problem document after all: described below from the status and the text
            }
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String detail = text.isEmpty() ? null : text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "..." : text;
        return new Problem("about:blank", reason, status, detail, null, null);
    }
}
