package io.wavestore.identity;

import io.wavestore.identity.oidc.TokenCipher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a browser's session reaches an app without the store's session cookie ever being sent to the app's origin.
 *
 * <p>Apps are served from origins of their own (their own host names), so script an app serves can never call the
 * store's API with its visitor's session. To let the router of an app origin know who the visitor is, the store mints
 * a <em>grant</em> for that one origin (at {@code /auth/app-pass}, where the session cookie is sent), the browser carries
 * it there in a redirect, and the router redeems it for a <em>pass</em>: an HttpOnly cookie of the app's origin
 * ({@value #COOKIE}) that the router turns back into the session on every request, and never forwards to the app.
 * Signing out at the store ends the session, and with it every pass that stands for it.
 *
 * <p>Grants and passes are sealed with AES-GCM under a key every replica derives from the same secret, name the one
 * origin they are good for, and expire: a grant within a minute (it travels in a URL), a pass with the session.
 * A visitor who is not signed in gets a short pass for nobody, so that the app's public pages do not bounce through
 * the store on every visit, and signing in later is noticed soon.
 *
 * <p>The development identity has no session: {@link #none()} leaves requests as they are.
 */
public final class AppPasses {

    /** The app origin's cookie. Its name starts like the store's cookies, so the router never lets an app see or set it. */
    public static final String COOKIE = "wavestore_app";
    public static final Duration GRANT_TTL = Duration.ofSeconds(60);
    public static final Duration ANONYMOUS_PASS_TTL = Duration.ofMinutes(5);

    private static final String GRANT = "grant";
    private static final String PASS = "pass";

    private final Optional<TokenCipher> cipher;
    private final String sessionCookie;
    private final Duration passTtl;
    private final Clock clock;

    /** A pass redeemed from a grant: the cookie's value and how long the browser should keep it. */
    public record Pass(String cookieValue, Duration maxAge) {
        @Override
        public String toString() {
            return "Pass[maxAge=" + maxAge + "]";
        }
    }

    private record Sealed(String kind, String origin, Instant expires, String session) {
    }

    private AppPasses(Optional<TokenCipher> cipher, String sessionCookie, Duration passTtl, Clock clock) {
        this.cipher = cipher;
        this.sessionCookie = sessionCookie;
        this.passTtl = passTtl;
        this.clock = clock;
    }

    /**
     * @param secret        the secret every replica shares
     * @param sessionCookie the name of the store's session cookie
     * @param passTtl       the longest a pass for a session lasts (the session's own lifetime)
     */
    public static AppPasses sealedWith(String secret, String sessionCookie, Duration passTtl, Clock clock) {
        return new AppPasses(Optional.of(TokenCipher.fromSecret(secret, "wavestore app pass v1")), sessionCookie, passTtl,
                clock);
    }

    /** For the development identity: requests say who they are with headers, on every origin alike. */
    public static AppPasses none() {
        return new AppPasses(Optional.empty(), "", Duration.ZERO, Clock.systemUTC());
    }

    /** False for the development identity: there is nothing to carry to an app's origin. */
    public boolean enabled() {
        return cipher.isPresent();
    }

    /**
     * A grant for one app origin, minted at the store.
     *
     * @param session the caller's session cookie, when the caller is signed in with one; empty: a grant for nobody
     * @param origin  the app's origin, {@code scheme://host[:port]}, lower case
     */
    public String grant(Optional<String> session, String origin) {
        return seal(new Sealed(GRANT, origin, clock.instant().plus(GRANT_TTL), session.orElse("")));
    }

    /** The pass for a grant presented at {@code origin}; empty when it is not a live grant for that origin. */
    public Optional<Pass> redeem(String grant, String origin) {
        return open(grant, GRANT, origin).map(g -> {
            Duration ttl = g.session().isEmpty() ? ANONYMOUS_PASS_TTL : passTtl;
            return new Pass(seal(new Sealed(PASS, origin, clock.instant().plus(ttl), g.session())), ttl);
        });
    }

    /** True when the request carries a live pass for {@code origin} (or no pass is needed at all). */
    public boolean hasPass(RequestCredentials credentials, String origin) {
        return !enabled() || Optional.ofNullable(credentials.cookies().get(COOKIE))
                .flatMap(value -> open(value, PASS, origin)).isPresent();
    }

    /**
     * The credentials a request to an app's origin stands for: its pass becomes the session cookie it was minted for,
     * and no other cookie counts (the app's own cookies, or one an app set to pose as the store's, say nothing about
     * who the visitor is). Headers stay: a bearer token works on every origin.
     */
    public RequestCredentials onAppOrigin(RequestCredentials credentials, String origin) {
        if (!enabled()) {
            return credentials;
        }
        Map<String, String> cookies = new HashMap<>();
        Optional.ofNullable(credentials.cookies().get(COOKIE))
                .flatMap(value -> open(value, PASS, origin))
                .filter(pass -> !pass.session().isEmpty())
                .ifPresent(pass -> cookies.put(sessionCookie, pass.session()));
        Map<String, String> headers = new HashMap<>(credentials.headers());
        headers.remove("cookie");
        return new RequestCredentials(headers, cookies);
    }

    private String seal(Sealed sealed) {
        return cipher.orElseThrow(() -> new IllegalStateException("the development identity mints no passes"))
                .encrypt(sealed.kind() + "\n" + sealed.origin() + "\n" + sealed.expires().getEpochSecond() + "\n"
                        + sealed.session());
    }

    private Optional<Sealed> open(String text, String kind, String origin) {
        if (cipher.isEmpty() || text == null || text.length() > 4096) {
            return Optional.empty();
        }
        return cipher.get().decrypt(text.trim()).flatMap(plain -> {
            String[] parts = plain.split("\n", 4);
            if (parts.length != 4 || !parts[0].equals(kind) || !parts[1].equals(origin)) {
                return Optional.empty();
            }
            Instant expires;
            try {
                expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            return clock.instant().isBefore(expires)
                    ? Optional.of(new Sealed(parts[0], parts[1], expires, parts[3]))
                    : Optional.empty();
        });
    }
}
