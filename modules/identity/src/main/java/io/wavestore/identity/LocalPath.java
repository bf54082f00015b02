package io.wavestore.identity;

import java.util.Optional;

/** Where the store may send a browser after sign-in or sign-out: its own paths only, never another site. */
public final class LocalPath {

    private LocalPath() {
    }

    /**
     * The path itself when it is a local path of this store ({@code /apps?tag=ml}), else {@code "/"}. Refused:
     * absolute URLs, scheme-relative {@code //host} and {@code /\host} (browsers treat both as another host),
     * and anything with control characters.
     */
    public static String orRoot(Optional<String> path) {
        return path.filter(LocalPath::isLocal).orElse("/");
    }

    public static boolean isLocal(String path) {
        if (path == null || path.isEmpty() || path.length() > 2048 || path.charAt(0) != '/') {
            return false;
        }
        if (path.length() > 1 && (path.charAt(1) == '/' || path.charAt(1) == '\\')) {
            return false;
        }
        return path.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == '\\');
    }
}
