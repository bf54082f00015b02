package io.wavestore.scheduler.helm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Any string as a Kubernetes label value, the way the chart's {@code wave-instance.labelValue} makes it: the string
 * itself when it is a valid label value, else {@code h-} and the first 40 hex digits of its SHA-256. Owners
 * ({@code olga@example.com}) and versions with build metadata ({@code 1.0.0+7}) are not valid label values; the
 * hash still lets a selector find them ({@code wavestore.io/owner=<LabelValues.of(owner)>}).
 */
public final class LabelValues {

    private static final Pattern VALID = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private LabelValues() {
    }

    public static String of(String value) {
        if (value.length() <= 63 && VALID.matcher(value).matches()) {
            return value;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return "h-" + HexFormat.of().formatHex(digest).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }
}
