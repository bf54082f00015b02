package io.wavestore.server.metrics;

import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Counts and times every request the store answers, by method, route group and status class. */
public final class HttpMetrics extends AllDirectives {

    private final StoreMetrics metrics;
    private final Optional<String> appsDomain;

    /** @param appsDomain the router's apps domain: requests to its host names are an instance's */
    public HttpMetrics(StoreMetrics metrics, Optional<String> appsDomain) {
        this.metrics = metrics;
        this.appsDomain = appsDomain;
    }

    /**
     * The routes, measured. They are sealed here (as the server binding would seal them anyway) so that rejections
     * and errors are counted with the status they are answered with, 404s and 405s included.
     */
    public Route measure(Route routes) {
        Route sealed = routes.seal();
        return extractRequest(request -> {
            long start = System.nanoTime();
            RouteGroup group = RouteGroup.of(host(request), request.getUri().path(), appsDomain);
            return mapResponse(response -> {
                metrics.httpRequest(request.method().name(), group, response.status().intValue(),
                        Duration.ofNanos(System.nanoTime() - start));
                return response;
            }, () -> sealed);
        });
    }

    /** The host name the client asked for (its Host header), without port. */
    private static String host(HttpRequest request) {
        String host = request.getHeader("Host").map(h -> h.value()).orElse(request.getUri().host().address());
        int colon = host.lastIndexOf(':');
        return colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
    }
}
