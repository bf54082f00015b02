package io.wavestore.client.model;

import java.util.Map;
import java.util.Objects;

/**
 * A secret to create: its name, scope, the app an APP secret is bound to (null otherwise), and its keys and values.
 * The values go to the store once; {@link #toString()} never shows them.
 */
public record NewSecret(String name, SecretScope scope, String app, Map<String, String> values) {

    public NewSecret {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        values = Map.copyOf(values);
    }

    @Override
    public String toString() {
        return "NewSecret[name=" + name + ", scope=" + scope + ", app=" + app + ", keys=" + values.keySet() + "]";
    }
}
