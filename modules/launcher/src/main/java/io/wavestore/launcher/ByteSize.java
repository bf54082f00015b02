package io.wavestore.launcher;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as the store's configuration writes them ({@code 512MiB}, {@code 1GiB}, {@code 10000}), so the same
 * values configure the store's bundle limits and the launcher's.
 */
final class ByteSize {
    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,15})\\s*([a-zA-Z]*)");

    private ByteSize() {}

    static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("is not a size (examples: 1048576, 512KiB, 512MiB, 1GiB), but '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        // HOCON's reading: bare and i-units are powers of two, kB/MB/GB powers of ten.
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "ki", "kib" -> 1L << 10;
            case "m", "mi", "mib" -> 1L << 20;
            case "g", "gi", "gib" -> 1L << 30;
            case "t", "ti", "tib" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("has an unknown unit '" + m.group(2)
                    + "' (use B, KiB, MiB, GiB or TiB)");
        };
        if (n > Long.MAX_VALUE / unit) {
            throw new IllegalArgumentException("is too large: '" + text + "'");
        }
        return n * unit;
    }
}
