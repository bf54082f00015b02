package io.wavestore.identity.session;

import java.time.Instant;

/** A row of {@code login_states}: one sign-in between the redirect to the provider and its callback. */
public record LoginStateRow(String stateHash, String nonce, String codeVerifier, String redirectUri, String returnTo,
        Instant expiresAt) {

    @Override
    public String toString() {
        return "LoginStateRow[returnTo=" + returnTo + ", expiresAt=" + expiresAt + "]";
    }
}
