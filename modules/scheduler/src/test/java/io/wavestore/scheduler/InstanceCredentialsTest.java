package io.wavestore.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InstanceCredentialsTest {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test".getBytes(StandardCharsets.UTF_8);
    final Instant now = Instant.parse("2026-11-25T10:00:00Z");
    final InstanceCredentials credentials = new InstanceCredentials(SECRET, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void aCredentialIsAcceptedForItsInstanceOnly() {
        String token = credentials.issue("i-abc");
        assertThat(credentials.verify(token, "i-abc")).contains("i-abc");
        assertThat(credentials.verify(token, "i-other")).isEmpty();
    }

    @Test
    void tamperedExpiredOrForeignCredentialsAreRefused() {
        String token = credentials.issue("i-abc");
        String[] parts = token.split("\\.");
        assertThat(credentials.verify(parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 3600) + "." + parts[3], "i-abc"))
                .as("a longer expiry breaks the MAC").isEmpty();
        assertThat(credentials.verify(token.substring(0, token.length() - 2) + "xx", "i-abc")).isEmpty();
        assertThat(credentials.verify("garbage", "i-abc")).isEmpty();

        var later = new InstanceCredentials(SECRET, Duration.ofHours(1), Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC));
        assertThat(later.verify(token, "i-abc")).as("expired").isEmpty();

        var otherStore = new InstanceCredentials("another-secret-another-secret-another".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
        assertThat(otherStore.verify(token, "i-abc")).as("signed by another store").isEmpty();
    }

    @Test
    void aGenuinelySignedCredentialThatOutlivesTheLifetimeIsRefused() {
        // What the tester minted with the stolen secret: valid until 2100.
        var longLived = new InstanceCredentials(SECRET, Duration.ofDays(365 * 74), Clock.fixed(now, ZoneOffset.UTC));
        String minted = longLived.issue("i-abc");
        assertThat(longLived.verify(minted, "i-abc")).as("its own lifetime allows it").contains("i-abc");
        assertThat(credentials.verify(minted, "i-abc")).as("beyond this store's lifetime of 1 h").isEmpty();
    }

    @Test
    void aShorterLifetimeIsKeptAndALongerOneIsCapped() {
        String local = credentials.issue("i-abc", Duration.ofMinutes(10));
        var tenMinutesLater = new InstanceCredentials(SECRET, Duration.ofHours(1),
                Clock.fixed(now.plus(Duration.ofMinutes(11)), ZoneOffset.UTC));
        assertThat(tenMinutesLater.verify(local, "i-abc")).as("expired after its 10 min").isEmpty();
        String capped = credentials.issue("i-abc", Duration.ofDays(30));
        assertThat(Long.parseLong(capped.split("\\.")[2])).isEqualTo(now.plus(Duration.ofHours(1)).getEpochSecond());
    }
}
