package io.wavestore.scheduler;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-instance credential the launcher uses to download its bundle and report progress: an HMAC-SHA256 over
 * the instance id and an expiry, keyed by a secret every replica shares. It names its instance, so it is never
 * accepted for another one, and it expires. Format: {@code wsi1.<instance id>.<expiry epoch s>.<base64url mac>}.
 * No credential lives longer than the configured lifetime: one that claims a later expiry was not issued here and
 * is refused, even with a valid signature.
 */
public final class InstanceCredentials {

    private static final String PREFIX = "wsi1";
    /** Replicas' clocks differ a little: a credential another replica just issued may end a moment later. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public InstanceCredentials(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the instance credential secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    public String issue(String instanceId) {
        return issue(instanceId, ttl);
    }

    /** A credential that lives {@code lifetime}, at most the configured lifetime (a local launcher's is shorter). */
    public String issue(String instanceId, Duration lifetime) {
        long expiry = clock.instant().plus(lifetime.compareTo(ttl) < 0 ? lifetime : ttl).getEpochSecond();
        String body = PREFIX + "." + instanceId + "." + expiry;
        return body + "." + mac(body);
    }

    /** @return the instance id the token is for, when it is genuine, unexpired, and for {@code instanceId} */
    public Optional<String> verify(String token, String instanceId) {
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !parts[0].equals(PREFIX) || !parts[1].equals(instanceId)) {
            return Optional.empty();
        }
        String body = parts[0] + "." + parts[1] + "." + parts[2];
        if (!MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII), parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            Instant expiry = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (expiry.isBefore(clock.instant()) || expiry.isAfter(clock.instant().plus(ttl).plus(CLOCK_SKEW))) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(instanceId);
    }

    private String mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
