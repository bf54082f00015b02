package io.wavestore.activity;

import java.util.Objects;

/**
 * Who did it: a signed-in user, a caller with a personal API token, Kubernetes (what the store observed and did not do
 * itself), or the store on its own (cleaning up a release that can never run).
 */
public record Actor(Type type, String id) {

    public enum Type { USER, TOKEN, KUBERNETES, STORE }

    public static final Actor KUBERNETES = new Actor(Type.KUBERNETES, "observed in Kubernetes");
    public static final Actor STORE = new Actor(Type.STORE, "the store");

    public Actor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Actor user(String id) {
        return new Actor(Type.USER, id);
    }

    public static Actor token(String userId) {
        return new Actor(Type.TOKEN, userId);
    }
}
