package io.wavestore.cli.auth;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import io.wavestore.cli.config.Profile;
import java.net.URI;

/** Trades a profile's refresh token for a fresh access token when the old one is about to expire. */
public final class OidcTokenRefresh {

    private OidcTokenRefresh() {
    }

    public static Profile.OidcTokens refresh(Profile.OidcTokens tokens) {
        var provider = OidcLogin.discover(URI.create(tokens.issuer()));
        TokenRequest request = new TokenRequest(provider.getTokenEndpointURI(), new ClientID(tokens.clientId()),
                new RefreshTokenGrant(new RefreshToken(tokens.refreshToken())), null);
        Profile.OidcTokens fresh = OidcLogin.tokens(request, tokens.refreshToken());
        return new Profile.OidcTokens(tokens.issuer(), tokens.clientId(), fresh.accessToken(), fresh.refreshToken(),
                fresh.expiresAt());
    }
}
