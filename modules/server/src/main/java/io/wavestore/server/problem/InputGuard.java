package io.wavestore.server.problem;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;

/**
 * Refuses, before any route reads them, a path or query that no name, version, id or search of the store can hold:
 * control characters (NUL, CR, LF, escapes...), decoded from their percent-encoding, and a query pekko cannot decode.
 * PostgreSQL refuses NUL in text, and the others would reach logs and pages; nothing the store names has them.
 */
public final class InputGuard {

    private InputGuard() {
    }

    /** {@code inner}, or a 400 problem naming what was wrong. */
    public static Route plainInput(Supplier<Route> inner) {
        return Directives.extractUri(uri -> problem(uri)
                .map(problem -> Directives.failWith(new ProblemException(problem)))
                .orElseGet(inner));
    }

    static Optional<Problem> problem(Uri uri) {
        for (String segment : uri.pathSegments()) {
            if (hasControlCharacter(segment)) {
                return Optional.of(Problem.of("invalid-path", "Invalid path", 400,
                        "the path contains a control character", null));
            }
        }
        Iterable<Pair<String, String>> parameters;
        try {
            parameters = uri.query().toList();
        } catch (RuntimeException e) {
            // pekko's parser refuses most bad encodings at once (400); this catches what it leaves to decoding.
            return Optional.of(Problem.of("malformed-query", "Malformed query", 400,
                    "the query string cannot be decoded (a stray % or a bad percent-encoding)", null));
        }
        for (Pair<String, String> parameter : parameters) {
            if (hasControlCharacter(parameter.first()) || hasControlCharacter(parameter.second())) {
                boolean nameIsPlain = !hasControlCharacter(parameter.first());
                return Optional.of(Problem.of("invalid-parameter", "Invalid parameter", 400,
                        (nameIsPlain ? parameter.first() : "a query parameter") + " contains a control character",
                        nameIsPlain ? parameter.first() : null));
            }
        }
        return Optional.empty();
    }

    public static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.getType(text.charAt(i)) == Character.CONTROL) {
                return true;
            }
        }
        return false;
    }
}
