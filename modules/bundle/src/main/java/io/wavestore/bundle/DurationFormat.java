package io.wavestore.bundle;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as app.toml writes them: whole numbers with units {@code d}, {@code h}, {@code m}, {@code s},
 * one or more in decreasing order, e.g. {@code 2h}, {@code 30m}, {@code 1h30m}, {@code 1d}, {@code 90s}
 * (the Go-like syntax H2O AI Cloud uses, without fractions or sub-second units, which no timeout needs).
 */
public final class DurationFormat {
    private static final Pattern SYNTAX =
            Pattern.compile("(?:([0-9]{1,6})d)?(?:([0-9]{1,6})h)?(?:([0-9]{1,6})m)?(?:([0-9]{1,9})s)?");

    private DurationFormat() {}

    /** Parses {@code text}; throws IllegalArgumentException saying what is wrong. */
    public static Duration parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 30m, 2h, 1h30m, 1d)");
        }
        Duration d = Duration.ofDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3))
                .plusSeconds(group(m, 4));
        if (d.isZero()) {
            throw new IllegalArgumentException("'" + text + "' must be longer than zero");
        }
        return d;
    }

    /** The shortest text {@link #parse} reads back as {@code d}, e.g. {@code 1h30m}. */
    public static String format(Duration d) {
        StringBuilder sb = new StringBuilder();
        long s = d.getSeconds();
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i]) {
                sb.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return sb.length() == 0 ? "0s" : sb.toString();
    }

    private static long group(Matcher m, int i) {
        return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
    }
}
