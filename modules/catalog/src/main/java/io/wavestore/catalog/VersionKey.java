package io.wavestore.catalog;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a version string into a key whose byte order is the version order, so PostgreSQL can sort and pick
 * the newest version ({@code COLLATE "C"}). Numbers compare as numbers (1.10 after 1.9), and a release comes
 * after its pre-releases (1.0.0 after 1.0.0-rc1), as in Semantic Versioning.
 */
public final class VersionKey {

    private static final Pattern PARTS = Pattern.compile("\\d+|[^\\d]+");
    private static final int DIGITS = 20;

    private VersionKey() {
    }

    public static String of(String version) {
        String lower = version.toLowerCase(Locale.ROOT);
        int dash = lower.indexOf('-');
        String release = dash < 0 ? lower : lower.substring(0, dash);
        String preRelease = dash < 0 ? "" : lower.substring(dash + 1);
        // '~' sorts after every character a pre-release can start with, so "1.0.0" > "1.0.0-anything".
        return encode(release) + (preRelease.isEmpty() ? "~" : "-" + encode(preRelease));
    }

    private static String encode(String text) {
        StringBuilder key = new StringBuilder();
        Matcher matcher = PARTS.matcher(text);
        while (matcher.find()) {
            String part = matcher.group();
            if (Character.isDigit(part.charAt(0))) {
                String digits = part.replaceFirst("^0+(?=\\d)", "");
                if (digits.length() > DIGITS) {
                    digits = digits.substring(0, DIGITS);
                }
                key.append("0".repeat(DIGITS - digits.length())).append(digits);
            } else {
                key.append(part);
            }
        }
        return key.toString();
    }
}
