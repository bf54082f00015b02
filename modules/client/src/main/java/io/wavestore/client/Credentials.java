package io.wavestore.client;

/** Who the client says it is to the store. */
public sealed interface Credentials {

    /** Nobody: anonymous calls (or the development identity's default user). */
    record None() implements Credentials {
    }

    /** A personal API token ({@code wst_...}) or an OIDC access token of the store's provider. */
    record Bearer(String token) implements Credentials {
        @Override
        public String toString() {
            return "Bearer[...]"; // never print a token
        }
    }

    /** The development identity's headers; only a store running with {@code identity.mode = development} honours them. */
    record Development(String user, String role) implements Credentials {
    }

    static Credentials none() {
        return new None();
    }

    static Credentials bearer(String token) {
        return new Bearer(token);
    }

    static Credentials development(String user, String role) {
        return new Development(user, role);
    }
}
