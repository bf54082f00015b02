package io.wavestore.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cause of a failed child in one line, read from the end of its output: what a person needs before the output
 * tail, e.g. "ModuleNotFoundError: No module named 'pandas'" for an app, or the installer's first error and the
 * package it could not install.
 */
final class FailureReason {
    /** The last line of a traceback: an exception class (dotted) and its message. */
    private static final Pattern EXCEPTION_LINE = Pattern.compile("[A-Za-z_][\\w.]*(: .*)?");
    /** Where pip and uv name the package they could not install (the name ends where a version or marker starts). */
    private static final List<Pattern> PACKAGE = List.of(
            Pattern.compile("No matching distribution found for ([A-Za-z0-9][A-Za-z0-9._-]*)"),
            Pattern.compile("satisfies the requirement ([A-Za-z0-9][A-Za-z0-9._-]*)"),
            Pattern.compile("Failed building wheel for ([A-Za-z0-9][A-Za-z0-9._-]*)"),
            Pattern.compile("Failed to build ([A-Za-z0-9][A-Za-z0-9._-]*)"),
            Pattern.compile("Because ([A-Za-z0-9][A-Za-z0-9._-]*) was not found"),
            Pattern.compile("there is no version of ([A-Za-z0-9][A-Za-z0-9._-]*)"),
            Pattern.compile("Failed to (?:build|download|prepare) `([A-Za-z0-9][A-Za-z0-9._-]*)"));
    private static final int MAX_CHARS = 500;

    private FailureReason() {}

    /** The exception that ended a Python traceback. */
    static Optional<String> pythonException(List<String> tail) {
        // The tail may have lost a long traceback's first line: its last frame ("  File ...") marks it as well.
        int start = -1;
        for (int i = 0; i < tail.size(); i++) {
            String line = tail.get(i);
            if (line.startsWith("Traceback (most recent call last):") || line.startsWith("  File \"")) {
                start = i;
            }
        }
        if (start < 0) {
            return Optional.empty();
        }
        // The traceback's frames are indented; the first line after them that is not names the exception.
        for (int i = start + 1; i < tail.size(); i++) {
            String line = tail.get(i);
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                return EXCEPTION_LINE.matcher(line).matches() ? Optional.of(shorten(line)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** pip's or uv's first error lines, and the package they name. */
    static Optional<String> installError(List<String> tail) {
        // pip says ERROR: (its build backends' "error:" lines come first and say less); uv says error: and cause:.
        boolean pip = tail.stream().anyMatch(l -> l.strip().startsWith("ERROR:"));
        List<String> error = new ArrayList<>();
        for (String raw : tail) {
            String line = raw.strip();
            if (error.isEmpty() && line.startsWith(pip ? "ERROR:" : "error:")) {
                error.add(line);
            } else if (!error.isEmpty() && !pip && line.startsWith("cause:")) {
                error.add(line);
            }
        }
        if (error.isEmpty()) {
            return Optional.empty();
        }
        String text = String.join("; ", error);
        return Optional.of(shorten(failedPackage(tail).map(p -> "package " + p + ": ").orElse("") + text));
    }

    private static Optional<String> failedPackage(List<String> tail) {
        for (String line : tail) {
            for (Pattern pattern : PACKAGE) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return Optional.of(m.group(1).replaceAll("[.]+$", ""));
                }
            }
        }
        return Optional.empty();
    }

    private static String shorten(String text) {
        return text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
    }
}
