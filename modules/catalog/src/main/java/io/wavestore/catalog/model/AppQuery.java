package io.wavestore.catalog.model;

import io.wavestore.identity.Visibility;
import java.util.Optional;

/** Filters and paging for listing apps. Visibility rules for the caller always apply on top. */
public record AppQuery(
        Optional<String> name,
        Optional<String> tag,
        Optional<Visibility> visibility,
        Optional<String> owner,
        Optional<String> text,
        boolean latestOnly,
        int limit,
        int offset) {

    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_LIMIT = 50;

    public AppQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }

    public static AppQuery all() {
        return new AppQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, DEFAULT_LIMIT, 0);
    }
}
