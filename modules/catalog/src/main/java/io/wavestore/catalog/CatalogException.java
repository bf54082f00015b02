package io.wavestore.catalog;

import io.wavestore.bundle.RefusedException;

/** A refused catalog operation: the error kind, a human detail, and the field that was wrong, if any. */
public final class CatalogException extends RefusedException {
    private static final long serialVersionUID = 1L;

    public CatalogException(CatalogError error, String detail) {
        this(error, detail, null);
    }

    public CatalogException(CatalogError error, String detail, String field) {
        super(error, detail, field);
    }

    @Override
    public CatalogError error() {
        return (CatalogError) super.error();
    }
}
