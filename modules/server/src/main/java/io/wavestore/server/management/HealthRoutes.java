package io.wavestore.server.management;

import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.HealthCheckSettings;
import org.apache.pekko.management.javadsl.CheckResult;
import org.apache.pekko.management.javadsl.HealthChecks;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /alive} and {@code GET /ready} from pekko-management's health checks, answering 200 or 503 with the
 * failed check's reason. It replaces pekko-management's own health routes (management.conf), which answer a failure
 * with 500: 503 says "not now, ask again", which is what a replica that is starting, draining or without its
 * database means.
 */
public final class HealthRoutes extends AllDirectives implements ManagementRouteProvider {

    private final HealthChecks checks;
    private final HealthCheckSettings settings;

    public HealthRoutes(ExtendedActorSystem system) {
        this.settings = HealthCheckSettings.create(system.settings().config().getConfig("pekko.management.health-checks"));
        this.checks = new HealthChecks(system, settings);
    }

    @Override
    public Route routes(ManagementRouteProviderSettings routeSettings) {
        return get(() -> concat(
                path(settings.readinessPath(), () -> answer(checks.readyResult())),
                path(settings.livenessPath(), () -> answer(checks.aliveResult()))));
    }

    private Route answer(CompletionStage<CheckResult> result) {
        return onComplete(result, outcome -> {
            if (outcome.isSuccess() && outcome.get().isSuccess()) {
                return complete(HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create("OK")));
            }
            String reason = outcome.isSuccess() ? outcome.get().failure().orElse("not healthy")
                    : outcome.failed().get().getMessage();
            return complete(HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE)
                    .withEntity(HttpEntities.create(reason)));
        });
    }
}
