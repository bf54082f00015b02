package io.wavestore.cli.output;

import io.wavestore.client.Problem;

/** A problem+json answer as a person reads it: what went wrong, the field, one line per invalid app.toml field. */
public final class ProblemMessages {

    private ProblemMessages() {
    }

    public static String describe(Problem p) {
        StringBuilder s = new StringBuilder("error: ").append(summary(p)).append(" [").append(p.status());
        if (p.code() != null && !p.code().equals("about:blank")) {
            s.append(' ').append(p.code());
        }
        s.append("]\n");
        if (p.field() != null && p.errors().isEmpty()) {
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

    /** The detail; with one line per field below it, only the detail's first line (the store lists them there too). */
    private static String summary(Problem p) {
        if (p.detail() == null) {
            return p.title() != null ? p.title() : "the store refused (" + p.status() + ")";
        }
        if (p.errors().isEmpty()) {
            return p.detail();
        }
        String first = p.detail().lines().findFirst().orElse(p.detail()).strip();
        return first.endsWith(":") ? first.substring(0, first.length() - 1) : first;
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
