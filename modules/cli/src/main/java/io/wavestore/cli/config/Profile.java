package io.wavestore.cli.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One store and how to sign in to it: a personal API token, an OIDC sign-in (with its refresh token), or the
 * development identity's user and role.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Profile(String store, String token, OidcTokens oidc, String devUser, String devRole) {

    public static Profile of(String store) {
        return new Profile(store, null, null, null, null);
    }

    public Profile withToken(String value) {
        return new Profile(store, value, null, null, null);
    }

    public Profile withOidc(OidcTokens value) {
        return new Profile(store, null, value, null, null);
    }

    public Profile withDevelopmentUser(String user, String role) {
        return new Profile(store, null, null, user, role);
    }

    public Profile signedOut() {
        return new Profile(store, null, null, null, null);
    }

    /** What an OIDC sign-in left: enough to call the store and to refresh the access token. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OidcTokens(String issuer, String clientId, String accessToken, String refreshToken, Instant expiresAt) {

        public boolean expiresBefore(Instant moment) {
            return expiresAt != null && expiresAt.isBefore(moment);
        }

        @Override
        public String toString() {
            return "OidcTokens[issuer=" + issuer + ", clientId=" + clientId + ", expiresAt=" + expiresAt + "]";
        }
    }

    @Override
    public String toString() {
        return "Profile[store=" + store + ", token=" + (token != null ? "..." : null) + ", oidc=" + oidc + ", devUser="
                + devUser + ", devRole=" + devRole + "]";
    }
}
