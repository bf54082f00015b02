package io.wavestore.server.api;

import java.util.List;

/** One page of a listing; {@code next} is the URL of the following page, absent on the last one. */
public record PageView<T>(List<T> items, long total, int limit, int offset, String next) {
}
