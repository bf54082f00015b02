package io.wavestore.server.http;

import io.wavestore.router.ProxyRoutes;
import io.wavestore.router.RouterSettings;
import io.wavestore.server.Wavestore;
import io.wavestore.server.problem.Problem;
import io.wavestore.server.problem.ProblemResponses;
import java.util.Locale;
import java.util.Set;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Requests that change the store's state are accepted from the store's own pages only. A browser names the page
 * that made a request in its {@code Origin} header; when that is another origin (an app's page, since apps live on
 * origins of their own, or any other site) the request is refused before it is authenticated. This holds whatever
 * the identity: the CSRF token already protects sessions, and the development identity, which has no cookie to
 * steal, would otherwise act for any page that posts to it. Clients that are not browsers send no Origin and pass.
 */
public final class StoreOriginGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final ProblemResponses PROBLEMS = new ProblemResponses(Wavestore.jsonMapper(), e -> {
        throw new IllegalStateException("the origin guard maps no exceptions", e);
    });

    private StoreOriginGuard() {
    }

    public static Route guard(RouterSettings settings, Route inner) {
        return new AllDirectives() {
            Route route() {
                return extractRequest(request -> {
                    if (SAFE_METHODS.contains(request.method().value().toUpperCase(Locale.ROOT))
                            || ProxyRoutes.sameOrigin(request, settings.trustForwardedHeaders())) {
                        return inner;
                    }
                    return complete(PROBLEMS.response(Problem.of("cross-origin", "Not from the store's pages", 403,
                            "a page of another origin (" + request.getHeader("origin").map(h -> h.value())
                                    .orElse("?") + ") may not change anything in the store", "Origin")));
                });
            }
        }.route();
    }
}
