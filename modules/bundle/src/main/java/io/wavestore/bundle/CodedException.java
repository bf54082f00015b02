package io.wavestore.bundle;

import java.util.List;
import java.util.Optional;

/**
 * An exception that says which {@link ErrorCode} it is, what exactly was wrong ({@link #getMessage()}), and which
 * input was wrong: what the store's one error mapper needs to answer it as a problem.
 */
public interface CodedException {

    ErrorCode error();

    /** What exactly was wrong, for a human. */
    String getMessage();

    /** The input that was wrong, when one was. */
    default Optional<String> field() {
        return Optional.empty();
    }

    /** Every field that was wrong, when there are several (an invalid app.toml). */
    default List<FieldViolation> violations() {
        return List.of();
    }
}
