package io.wavestore.bundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code .appignore} file of an app directory: gitignore-style patterns of what not to pack.
 * <ul>
 *   <li>{@code #} starts a comment, blank lines are skipped, {@code \#} and {@code \!} are literal;</li>
 *   <li>{@code *} matches within a path segment, {@code ?} one character, {@code [a-z]} a class,
 *       {@code **} any number of folders ({@code **}{@code /x}, {@code a/**}, {@code a/**}{@code /b});</li>
 *   <li>a pattern with a {@code /} in it (a leading one included) is anchored at the app directory,
 *       one without matches at any depth; a trailing {@code /} matches folders only;</li>
 *   <li>{@code !} re-includes what an earlier pattern excluded; the last matching pattern wins. As in git,
 *       nothing inside an excluded folder can be re-included, because the folder is never entered.</li>
 * </ul>
 */
final class AppIgnore {
    static final String FILE = ".appignore";

    private record Rule(Pattern regex, boolean negated, boolean directoryOnly) {}

    private final List<Rule> rules;

    private AppIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static AppIgnore load(Path appDir) throws IOException {
        Path file = appDir.resolve(FILE);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return parse(List.of());
        }
        return parse(List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1)));
    }

    static AppIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = stripTrailingSpaces(raw.startsWith("\uFEFF") ? raw.substring(1) : raw);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            if (negated) {
                line = line.substring(1);
            } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
                line = line.substring(1);
            }
            boolean directoryOnly = line.endsWith("/");
            while (line.endsWith("/")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                continue;
            }
            boolean anchored = line.contains("/");
            if (line.startsWith("/")) {
                line = line.substring(1);
            }
            String body = toRegex(line);
            rules.add(new Rule(Pattern.compile(anchored ? body : "(?:.*/)?" + body), negated, directoryOnly));
        }
        return new AppIgnore(rules);
    }

    /** Whether {@code path} (relative, '/'-separated) is excluded. */
    boolean ignores(String path, boolean directory) {
        boolean ignored = false;
        for (Rule rule : rules) {
            if ((directory || !rule.directoryOnly()) && rule.regex().matcher(path).matches()) {
                ignored = !rule.negated();
            }
        }
        return ignored;
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
            if (c == '*' && segmentStart && glob.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 2;
            } else if (c == '*' && segmentStart && i + 2 == n && glob.startsWith("**", i)) {
                re.append(".*");
                i += 1;
            } else if (c == '*') {
                re.append("[^/]*");
                while (i + 1 < n && glob.charAt(i + 1) == '*') {
                    i++;
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = classEnd(glob, i);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    re.append(characterClass(glob.substring(i + 1, end)));
                    i = end;
                }
            } else if (c == '\\' && i + 1 < n) {
                re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Index of the ']' closing the class opened at {@code open}, or -1 (then '[' is literal). */
    private static int classEnd(String glob, int open) {
        int i = open + 1;
        if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            i++;
        }
        if (i < glob.length() && glob.charAt(i) == ']') {
            i++; // a ']' right after the opening is a member, not the end
        }
        for (; i < glob.length(); i++) {
            if (glob.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    /** A glob class as a Java class that never matches '/', with Java's special characters escaped. */
    private static String characterClass(String members) {
        StringBuilder re = new StringBuilder("[");
        int first = 0;
        if (!members.isEmpty() && (members.charAt(0) == '!' || members.charAt(0) == '^')) {
            re.append('^');
            first = 1;
        }
        for (int i = first; i < members.length(); i++) {
            char c = members.charAt(i);
            if (c == '-' && i > first && i < members.length() - 1) { // a range; at either end it is literal
                re.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                re.append(c);
            } else {
                re.append('\\').append(c);
            }
        }
        return re.append("&&[^/]]").toString();
    }

    /** Trailing spaces are dropped unless escaped with a backslash, as in gitignore. */
    private static String stripTrailingSpaces(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            if (end >= 2 && line.charAt(end - 2) == '\\') {
                break;
            }
            end--;
        }
        return line.substring(0, end);
    }
}
