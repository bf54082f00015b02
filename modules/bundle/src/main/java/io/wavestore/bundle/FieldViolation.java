package io.wavestore.bundle;

/**
 * One thing wrong with app.toml. {@code field} names the key as written in the file, e.g.
 * {@code App.Name}, {@code Runtime.MemoryLimit}, {@code Env[2].Name} (indexes count from 0, in file order),
 * or a section name such as {@code Link} for a misplaced section.
 */
public record FieldViolation(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
