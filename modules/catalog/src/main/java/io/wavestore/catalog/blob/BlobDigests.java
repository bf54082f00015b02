package io.wavestore.catalog.blob;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as blob names: 64 lowercase hex characters, nothing else. */
public final class BlobDigests {

    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private BlobDigests() {
    }

    public static boolean isValid(String digest) {
        return digest != null && DIGEST.matcher(digest).matches();
    }

    /**
     * Returns {@code digest} when it is 64 lowercase hex characters. Anything else — uppercase,
     * short, {@code ../etc/passwd} — is refused before it can become part of a path or a key.
     */
    public static String requireValid(String digest) {
        if (!isValid(digest)) {
            throw new IllegalArgumentException("Not a SHA-256 blob digest (64 lowercase hex characters): "
                    + printable(digest));
        }
        return digest;
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    // Quote the offending value, but keep log lines short and free of control characters.
    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
