package io.wavestore.identity;

/** A state-changing request authenticated by a session cookie lacks the session's CSRF token, or sent a wrong one. */
public final class CsrfException extends Exception {
    private static final long serialVersionUID = 1L;

    public CsrfException(String message) {
        super(message);
    }
}
