package io.wavestore.identity.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.LocalPath;
import io.wavestore.identity.RequestCredentials;
import io.wavestore.identity.Secrets;
import io.wavestore.identity.session.LoginStateDao;
import io.wavestore.identity.session.LoginStateRow;
import io.wavestore.identity.session.Sessions;
import io.wavestore.identity.token.ApiTokens;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in with OpenID Connect, and the callers it vouches for: browser sessions (the session cookie), and the
 * provider's access tokens sent as {@code Authorization: Bearer}. The HTTP side (cookies, redirects) is the
 * server's; this class decides everything else.
 */
public final class OidcIdentity implements CallerResolver {

    private static final Logger LOG = LoggerFactory.getLogger(OidcIdentity.class);
    /** How long a browser has to come back from the provider. */
    public static final Duration LOGIN_TTL = Duration.ofMinutes(10);

    private final OidcSettings settings;
    private final OidcProvider provider;
    private final Sessions sessions;
    private final LoginStateDao logins;
    private final ApiTokens tokens;
    private final Optional<TokenCipher> cipher;
    private final Clock clock;

    public OidcIdentity(OidcSettings settings, OidcProvider provider, Jdbi jdbi, ApiTokens tokens, Clock clock) {
        this.settings = settings;
        this.provider = provider;
        this.sessions = new Sessions(jdbi, clock, settings.sessionTtl());
        this.logins = jdbi.onDemand(LoginStateDao.class);
        this.tokens = tokens;
        this.cipher = settings.tokenCipher();
        this.clock = clock;
        if (cipher.isEmpty()) {
            LOG.warn("wavestore.identity.oidc has neither secret-key nor client-secret: refresh tokens are not kept, so"
                    + " sessions keep the roles of their sign-in until they expire ({})", settings.sessionTtl());
        }
    }

    public OidcSettings settings() {
        return settings;
    }

    @Override
    public Authentication authenticate(RequestCredentials credentials) throws AuthenticationException {
        Optional<String> bearer = credentials.bearerToken();
        if (bearer.isPresent()) {
            Caller caller = settings.claims().caller(provider.verifyAccessToken(bearer.get()));
            return Authentication.of(caller, Authentication.Method.BEARER);
        }
        Optional<String> cookie = Optional.ofNullable(credentials.cookies().get(settings.cookieName()));
        if (cookie.isEmpty() || cookie.get().isBlank()) {
            return Authentication.anonymous();
        }
        // A cookie of a session that ended (expired, signed out, refused by the provider) is no error: the browser
        // simply is not signed in any more.
        Optional<Sessions.Active> session = sessions.find(cookie.get(), this::refresh);
        if (session.isEmpty()) {
            return Authentication.anonymous();
        }
        Caller caller = settings.claims().caller(parse(session.get().claims()));
        if (session.get().refreshed()) {
            // After the session's transaction: its tokens act with what the provider says the user is now.
            tokens.refreshOwner(caller);
        }
        return Authentication.session(caller, session.get().csrfToken());
    }

    // ---- sign-in

    /** Where to send the browser, and the state to keep in its login cookie. */
    public record LoginStart(URI authorizationUri, String state) {
        @Override
        public String toString() {
            return "LoginStart[" + authorizationUri.getHost() + "]";
        }
    }

    /** A completed sign-in: the new session's id for the cookie, and where to send the browser. */
    public record SignedIn(Caller caller, Sessions.Created session, String returnTo) {
    }

    /**
     * Starts a sign-in: a fresh state, nonce and PKCE verifier, kept server-side under the state's hash.
     *
     * @param redirectUri the callback URL the provider sends the browser back to
     * @param returnTo    where to go after sign-in; anything but a local path becomes {@code /}
     */
    public LoginStart beginLogin(URI redirectUri, Optional<String> returnTo) {
        Instant now = clock.instant();
        logins.deleteExpired(now);
        String state = Secrets.random();
        String nonce = Secrets.random();
        String verifier = Secrets.random();
        logins.insert(new LoginStateRow(Secrets.sha256(state), nonce, verifier, redirectUri.toString(),
                LocalPath.orRoot(returnTo), now.plus(LOGIN_TTL)));
        return new LoginStart(provider.authorizationUri(redirectUri, state, nonce, verifier), state);
    }

    /**
     * Completes a sign-in at the callback: the state must be the one this browser's login cookie holds and one
     * that this store issued (each is good once); the code is exchanged with the PKCE verifier; the ID token must
     * be valid and carry the sign-in's nonce. Then a new session starts, and the one the browser had (if any)
     * ends: the session id changes at every sign-in.
     *
     * @throws SignInException when any of that does not hold
     */
    public SignedIn completeLogin(Map<String, String> query, Optional<String> cookieState, Optional<String> oldSession) {
        Optional<String> state = Optional.ofNullable(query.get("state")).filter(s -> !s.isBlank());
        if (state.isEmpty()) {
            throw new SignInException(SignInException.Reason.INVALID_STATE, "the callback has no state parameter");
        }
        if (cookieState.isEmpty() || !java.security.MessageDigest.isEqual(cookieState.get().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                state.get().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            throw new SignInException(SignInException.Reason.INVALID_STATE, "this browser did not start this sign-in"
                    + " (its login cookie is missing, expired or for another sign-in); start again at /auth/login");
        }
        Optional<LoginStateRow> login = logins.take(Secrets.sha256(state.get()))
                .filter(row -> row.expiresAt().isAfter(clock.instant()));
        if (login.isEmpty()) {
            throw new SignInException(SignInException.Reason.INVALID_STATE,
                    "this sign-in is unknown, already used or expired; start again at /auth/login");
        }
        if (query.containsKey("error")) {
            throw new SignInException(SignInException.Reason.PROVIDER_REFUSED, "the identity provider did not sign you in: "
                    + query.get("error") + Optional.ofNullable(query.get("error_description")).map(d -> " (" + d + ")").orElse(""));
        }
        String code = query.get("code");
        if (code == null || code.isBlank()) {
            throw new SignInException(SignInException.Reason.INVALID_STATE, "the callback has no code parameter");
        }
        LoginStateRow row = login.get();
        OidcProvider.Grant grant = provider.exchange(code, URI.create(row.redirectUri()), row.codeVerifier(), row.nonce());
        Caller caller;
        try {
            caller = settings.claims().caller(grant.idTokenClaims());
        } catch (AuthenticationException e) {
            throw new SignInException(SignInException.Reason.TOKEN_REJECTED, e.getMessage());
        }
        oldSession.ifPresent(sessions::delete);
        Sessions.Created session = sessions.create(caller.id(), sessionGrant(grant));
        tokens.refreshOwner(caller);
        LOG.info("signed in: '{}' ({}) as {}", caller.id(), caller.name(), caller.role());
        return new SignedIn(caller, session, row.returnTo());
    }

    /**
     * Ends the session of this cookie, if any.
     *
     * @return the provider's sign-out page to send the browser to, when the provider has one
     */
    public Optional<URI> logout(Optional<String> sessionCookie, URI afterLogout) {
        Optional<Sessions.Active> session = sessionCookie.flatMap(sessions::peek);
        sessionCookie.ifPresent(sessions::delete);
        session.ifPresent(s -> LOG.info("signed out: '{}'", s.userId()));
        return provider.logoutUri(session.flatMap(Sessions.Active::idToken), afterLogout);
    }

    // ---- refresh

    private Optional<Sessions.Grant> refresh(String sealedRefreshToken, String claims) throws IOException {
        Optional<String> refreshToken = cipher.flatMap(c -> c.decrypt(sealedRefreshToken));
        if (refreshToken.isEmpty()) {
            // Sealed under another key (the secret changed): the session cannot be refreshed, so it ends.
            return Optional.empty();
        }
        return provider.refresh(refreshToken.get(), parse(claims)).map(this::sessionGrant);
    }

    private Sessions.Grant sessionGrant(OidcProvider.Grant grant) {
        Optional<String> sealed = cipher.flatMap(c -> grant.refreshToken().map(c::encrypt));
        return new Sessions.Grant(serialize(grant.idTokenClaims()), sealed, grant.idToken(), grant.accessExpiresAt());
    }

    private static String serialize(Map<String, Object> claims) {
        return JSONObjectUtils.toJSONString(claims);
    }

    private static Map<String, Object> parse(String claims) {
        try {
            return JSONObjectUtils.parse(claims);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("a session's claims are not JSON", e);
        }
    }
}
