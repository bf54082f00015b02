package io.wavestore.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds {@code /api/v1/...} paths with each segment and query value percent-encoded. */
final class ApiPath {

    private final StringBuilder path = new StringBuilder("/api/v1");
    private final List<String> query = new ArrayList<>();

    static ApiPath of(String... segments) {
        ApiPath p = new ApiPath();
        for (String segment : segments) {
            p.path.append('/').append(encode(segment));
        }
        return p;
    }

    /** Adds {@code name=value} unless value is null. */
    ApiPath query(String name, Object value) {
        if (value != null) {
            query.add(encode(name) + "=" + encode(value.toString()));
        }
        return this;
    }

    @Override
    public String toString() {
        return query.isEmpty() ? path.toString() : path + "?" + String.join("&", query);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
