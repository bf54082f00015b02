package io.wavestore.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * Who sent a request and how they proved it. The "how" matters beyond the caller: a browser session cookie is
 * sent by the browser on its own, so state-changing requests authenticated by it must also carry the session's
 * CSRF token (see {@link CsrfGuard}); a bearer token or API token is never sent on its own and needs none.
 *
 * @param caller    who it is
 * @param method    how the request proved it
 * @param csrfToken the session's CSRF token, present only for {@link Method#SESSION}
 */
public record Authentication(Caller caller, Method method, Optional<String> csrfToken) {

    /** How a request proved who sent it. */
    public enum Method {
        /** No credentials: an anonymous caller. */
        NONE,
        /** The development identity's headers (or its default user). Not safe for real use. */
        DEVELOPMENT,
        /** A browser session cookie. */
        SESSION,
        /** An access token (JWT) of the OIDC provider in {@code Authorization: Bearer}. */
        BEARER,
        /** A personal API token ({@code wst_...}) in {@code Authorization: Bearer}. */
        API_TOKEN
    }

    public Authentication {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(csrfToken, "csrfToken");
        if (csrfToken.isPresent() != (method == Method.SESSION)) {
            throw new IllegalArgumentException("a CSRF token comes with session authentication, and only with it");
        }
    }

    public static Authentication anonymous() {
        return new Authentication(Caller.anonymous(), Method.NONE, Optional.empty());
    }

    public static Authentication of(Caller caller, Method method) {
        return new Authentication(caller, caller.signedIn() ? method : Method.NONE, Optional.empty());
    }

    public static Authentication session(Caller caller, String csrfToken) {
        return new Authentication(caller, Method.SESSION, Optional.of(csrfToken));
    }
}
