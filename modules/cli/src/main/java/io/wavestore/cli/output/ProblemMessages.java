package io.wavestore.cli.output;

import io.wavestore.client.Problem;

/** A problem+json answer as a person reads it: what went wrong, the field, one line per invalid app.toml field. */
public final class ProblemMessages {

    private ProblemMessages() {
    }

    public static String describe(Problem p) {
        StringBuilder s = new StringBuilder("error: ");
        s.append(p.detail() != null ? p.detail() : p.title() != null ? p.title() : "the store refused (" + p.status() + ")");
        s.append(" [").append(p.status());
        if (p.code() != null && !p.code().equals("about:blank")) {
            s.append(' ').append(p.code());
        }
        s.append("]\n");
        if (p.field() != null) {
            s.append("  field: ").append(p.field()).append('\n');
        }
        for (Problem.FieldError e : p.errors()) {
            s.append("  ").append(e.field()).append(": ").append(e.message()).append('\n');
        }
        String hint = hint(p);
        if (hint != null) {
            s.append("  ").append(hint).append('\n');
        }
        return s.toString();
    }

    /** What to do next, for the problems a person can act on at once. */
    private static String hint(Problem p) {
        return switch (p.status()) {
            case 401 -> "sign in with `wavestore login`";
            case 403 -> "`wavestore whoami` shows who the store thinks you are";
            default -> null;
        };
    }
}
