package io.wavestore.catalog;

import java.util.Optional;

/** A refused catalog operation: the error kind, a human detail, and the field that was wrong, if any. */
public final class CatalogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final CatalogError error;
    private final String field;

    public CatalogException(CatalogError error, String detail) {
        this(error, detail, null);
    }

    public CatalogException(CatalogError error, String detail, String field) {
        super(detail);
        this.error = error;
        this.field = field;
    }

    public CatalogError error() {
        return error;
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
