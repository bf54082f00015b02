package io.wavestore.server.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The URLs the API hands out, built in one place. */
public final class ApiPaths {

    public static final String ROOT = "/api/v1";

    private ApiPaths() {
    }

    public static String app(String name, String version) {
        return ROOT + "/apps/" + encode(name) + "/" + encode(version);
    }

    public static String tag(String name) {
        return ROOT + "/tags/" + encode(name);
    }

    public static String secret(String id) {
        return ROOT + "/secrets/" + encode(id);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
