package io.wavestore.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenCipherTest {

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        TokenCipher cipher = TokenCipher.fromSecret("client secret");
        String a = cipher.encrypt("refresh-token");
        String b = cipher.encrypt("refresh-token");
        assertThat(a).isNotEqualTo(b).doesNotContain("refresh-token").startsWith("v1.");
        assertThat(cipher.decrypt(a)).contains("refresh-token");
        assertThat(TokenCipher.fromSecret("client secret").decrypt(b)).contains("refresh-token");
    }

    @Test
    void anotherKeyOrATamperedTextDecryptsToNothing() {
        String sealed = TokenCipher.fromSecret("one").encrypt("refresh-token");
        assertThat(TokenCipher.fromSecret("two").decrypt(sealed)).isEmpty();
        char last = sealed.charAt(sealed.length() - 2);
        String tampered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A') + sealed.charAt(sealed.length() - 1);
        assertThat(TokenCipher.fromSecret("one").decrypt(tampered)).isEmpty();
        assertThat(TokenCipher.fromSecret("one").decrypt("plain")).isEmpty();
        assertThat(TokenCipher.fromSecret("one").decrypt("v1.!!")).isEmpty();
    }
}
