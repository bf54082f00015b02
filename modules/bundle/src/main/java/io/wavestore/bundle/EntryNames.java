package io.wavestore.bundle;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/** Rules for names inside a bundle: zip entry names and the paths app.toml points to. */
final class EntryNames {
    static final int MAX_NAME_CHARS = 1024;
    static final int MAX_SEGMENT_BYTES = 255;
    static final int MAX_DEPTH = 64;

    private static final Pattern DRIVE_LETTER = Pattern.compile("^[A-Za-z]:");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    record Problem(BundleError error, String message) {}

    private EntryNames() {}

    /**
     * Why a zip entry name is refused, or null. Directory entries end with '/'. Escapes are told apart from
     * merely malformed names because they are attacks rather than mistakes.
     */
    static Problem entryNameProblem(String name) {
        if (name.isEmpty()) {
            return new Problem(BundleError.INVALID_ENTRY_NAME, "an entry has an empty name");
        }
        String quoted = "'" + printable(name) + "'";
        if (name.indexOf('\\') >= 0) {
            return new Problem(BundleError.ENTRY_ESCAPES_ROOT,
                    quoted + " contains a backslash, which some systems read as a folder separator");
        }
        if (name.startsWith("/")) {
            return new Problem(BundleError.ENTRY_ESCAPES_ROOT, quoted + " is an absolute path");
        }
        if (DRIVE_LETTER.matcher(name).find()) {
            return new Problem(BundleError.ENTRY_ESCAPES_ROOT, quoted + " starts with a drive letter");
        }
        String path = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        String[] segments = path.split("/", -1);
        for (String segment : segments) {
            if (segment.equals("..")) {
                return new Problem(BundleError.ENTRY_ESCAPES_ROOT, quoted + " climbs out of the bundle with '..'");
            }
        }
        String problem = relativePathProblem(path);
        return problem == null ? null : new Problem(BundleError.INVALID_ENTRY_NAME, quoted + ": " + problem);
    }

    /** Why {@code path} is not a clean relative path such as {@code docs/README.md}, or null. */
    static String relativePathProblem(String path) {
        if (path.isEmpty()) {
            return "the path is empty";
        }
        if (path.length() > MAX_NAME_CHARS) {
            return "the path is longer than " + MAX_NAME_CHARS + " characters";
        }
        if (CONTROL.matcher(path).find()) {
            return "the path contains control characters";
        }
        if (path.indexOf('\\') >= 0) {
            return "the path contains a backslash; use '/'";
        }
        if (path.startsWith("/") || DRIVE_LETTER.matcher(path).find()) {
            return "the path is absolute";
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_DEPTH) {
            return "the path is nested deeper than " + MAX_DEPTH + " folders";
        }
        for (String segment : segments) {
            if (segment.equals("..")) {
                return "the path climbs out with '..'";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "the path has an empty or '.' segment";
            }
            if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
                return "a path segment is longer than " + MAX_SEGMENT_BYTES + " bytes";
            }
        }
        return null;
    }

    /**
     * The key under which two names collide on some file system: Unicode-normalised (macOS stores NFD) and
     * case-folded (macOS and Windows ignore case), so {@code App.py} and {@code app.py} cannot both exist.
     */
    static String fold(String name) {
        String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
        return nfc.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** The name with control characters shown as '?', safe to put into a message. */
    static String printable(String name) {
        String shown = CONTROL.matcher(name).replaceAll("?");
        return shown.length() > 200 ? shown.substring(0, 200) + "..." : shown;
    }
}
