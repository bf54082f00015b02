package io.wavestore.bundle;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The route a Wave app opens on. A Wave app serves its pages at the routes its handlers register with waved
 * ({@code @app('/demo')}), relative to the instance's base URL; the instance's own root shows only Wave's logo unless
 * one of them is {@code /}. Browsers that open the root are sent to the app's entry route: the one app.toml names
 * ({@code Runtime.EntryRoute}), else the first one the app registered, unless it registered {@code /} too.
 */
public final class EntryRoutes {

    static final int MAX_LENGTH = 200;
    /** A path of URL-safe segments: what {@code @app(...)} takes and a browser keeps as it is. */
    private static final Pattern ROUTE = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    private EntryRoutes() {
    }

    /** Why {@code route} cannot be an entry route, or empty when it can. */
    public static Optional<String> problem(String route) {
        if (route.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!ROUTE.matcher(route).matches()) {
            return Optional.of("must be a path starting with '/' (the route of an @app handler, such as /demo), "
                    + "without spaces, query or fragment, not '" + route + "'");
        }
        if (route.contains("//") || List.of(route.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            return Optional.of("must not contain empty, '.' or '..' segments, not '" + route + "'");
        }
        return Optional.empty();
    }

    /**
     * Where a browser that opens the instance's root should land: the declared entry route, else the first
     * registered one; empty when that is the root itself (or nothing is known yet).
     *
     * @param declared   {@code Runtime.EntryRoute}
     * @param registered the routes the app registered with waved, in order
     */
    public static Optional<String> landing(Optional<String> declared, List<String> registered) {
        Optional<String> route = declared.isPresent() ? declared
                : registered.contains("/") ? Optional.empty() : registered.stream().findFirst();
        return route.filter(r -> !r.equals("/") && problem(r).isEmpty());
    }
}
