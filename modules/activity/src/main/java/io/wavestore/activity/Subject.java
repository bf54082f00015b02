package io.wavestore.activity;

import java.util.Objects;

/**
 * Whose history a fact belongs to: one persistent entity per subject ({@code instance:i-abc}, {@code app:io.x.y}), so
 * each thing's history is written in order by one writer.
 */
public record Subject(Type type, String id) {

    public enum Type { INSTANCE, APP, TAG, ALIAS, TOKEN, SECRET }

    public Subject {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static Subject instance(String id) {
        return new Subject(Type.INSTANCE, id);
    }

    public static Subject app(String name) {
        return new Subject(Type.APP, name);
    }

    /** The sharded entity's id. */
    public String entityId() {
        return type.name().toLowerCase(java.util.Locale.ROOT) + ":" + id;
    }

    public static Subject ofEntityId(String entityId) {
        int colon = entityId.indexOf(':');
        return new Subject(Type.valueOf(entityId.substring(0, colon).toUpperCase(java.util.Locale.ROOT)),
                entityId.substring(colon + 1));
    }
}
