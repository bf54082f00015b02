package io.wavestore.server.management;

import io.wavestore.server.metrics.StoreMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/** {@code GET /metrics} on management HTTP: this replica's metrics in Prometheus' text format. Registered in management.conf. */
public final class MetricsRoutes extends AllDirectives implements ManagementRouteProvider {

    private static final ContentType TEXT_FORMAT = ContentTypes.parse(StoreMetrics.contentType());

    private final ManagementHooks hooks;

    public MetricsRoutes(ExtendedActorSystem system) {
        this.hooks = ManagementHooks.get(system);
    }

    @Override
    public Route routes(ManagementRouteProviderSettings settings) {
        return path("metrics", () -> get(() -> {
            if (hooks.metrics().isEmpty()) {
                return complete(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                        .withEntity("the store is still starting"));
            }
            return onSuccess(hooks.metrics().get().text(), text -> complete(HttpResponse.create()
                    .withEntity(HttpEntities.create(TEXT_FORMAT, text.getBytes(StandardCharsets.UTF_8)))));
        }));
    }
}
