package io.wavestore.bundle;

import java.util.Optional;

/** A refusal with its {@link ErrorCode}, for modules whose refusals need no exception type of their own. */
public class RefusedException extends RuntimeException implements CodedException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode error;
    private final String field;

    /** @param field the input that was wrong, or null */
    public RefusedException(ErrorCode error, String detail, String field) {
        super(detail);
        this.error = error;
        this.field = field;
    }

    @Override
    public ErrorCode error() {
        return error;
    }

    @Override
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
