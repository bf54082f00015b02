package io.wavestore.scheduler.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/** The rules for names and keys (those app.toml accepts), and the id a store gives a new secret. */
public final class SecretNames {

    /** As the bundle module accepts {@code Secret = "..."}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?");
    /** Kubernetes Secret data keys, as the bundle module accepts {@code SecretKey = "..."}. */
    public static final Pattern KEY = Pattern.compile("[-._A-Za-z0-9]{1,253}");
    /** Kubernetes Secret names are DNS subdomains; these ids are well within. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final String ID_PREFIX = "wavestore-secret-";

    private SecretNames() {
    }

    /**
     * A new secret's id: derived from what makes it unique (scope, owner or app, name), so two replicas creating the
     * same secret at once collide on the id instead of making two.
     */
    public static String idOf(String name, SecretScope scope, String owner, Optional<String> app) {
        String unique = scope + "\n" + switch (scope) {
            case PRIVATE -> owner;
            case APP -> app.orElse("");
            case ALL_USERS -> "";
        } + "\n" + name;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(unique.getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
