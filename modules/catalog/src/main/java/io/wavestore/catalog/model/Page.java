package io.wavestore.catalog.model;

import java.util.List;

/** One page of a listing, with the total number of matches. */
public record Page<T>(List<T> items, long total, int limit, int offset) {
}
