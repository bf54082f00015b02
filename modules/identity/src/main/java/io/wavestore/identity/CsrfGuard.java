package io.wavestore.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Cross-site request forgery protection for cookie sessions: a browser attaches the session cookie to requests
 * that other sites make it send, so a state-changing request authenticated by that cookie must also prove that
 * it comes from the store's own pages by carrying the session's token in {@value #HEADER} (or, for a plain HTML
 * form, the {@value #FORM_FIELD} field). Safe methods, and requests authenticated by a bearer or API token,
 * need none: nothing sends those on its own.
 */
public final class CsrfGuard {

    public static final String HEADER = "X-CSRF-Token";
    public static final String FORM_FIELD = "csrf_token";

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    private CsrfGuard() {
    }

    /** True when a request with this method and authentication must carry the CSRF token. */
    public static boolean required(Authentication authentication, String httpMethod) {
        return authentication.method() == Authentication.Method.SESSION
                && !SAFE_METHODS.contains(httpMethod.toUpperCase(Locale.ROOT));
    }

    /**
     * @param presented the token the request carried, if any
     * @throws CsrfException when the request needs the token and did not carry the session's
     */
    public static void check(Authentication authentication, String httpMethod, Optional<String> presented)
            throws CsrfException {
        if (!required(authentication, httpMethod)) {
            return;
        }
        String expected = authentication.csrfToken().orElseThrow();
        if (presented.isEmpty() || presented.get().isBlank()) {
            throw new CsrfException("this request is authenticated by the session cookie and changes state, so it must"
                    + " carry the " + HEADER + " header with the csrfToken from GET /api/v1/me");
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.get().trim().getBytes(StandardCharsets.UTF_8))) {
            throw new CsrfException("the " + HEADER + " header does not match this session's token;"
                    + " GET /api/v1/me gives the current one");
        }
    }
}
