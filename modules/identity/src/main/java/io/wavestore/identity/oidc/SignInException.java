package io.wavestore.identity.oidc;

/** A sign-in callback that does not end in a session. */
public final class SignInException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Reason {
        /** No sign-in in progress in this browser, or the state does not match it: start again. */
        INVALID_STATE,
        /** The provider said no (the user cancelled, or is not allowed to use this client). */
        PROVIDER_REFUSED,
        /** The provider's answer did not check out: the code exchange failed or the ID token is not valid. */
        TOKEN_REJECTED
    }

    private final Reason reason;

    public SignInException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
