package io.wavestore.server.api;

import io.wavestore.server.problem.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.model.BlobDownload;
import io.wavestore.identity.CallerResolver;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.InstanceIds;
import io.wavestore.scheduler.InstanceCredentials;
import io.wavestore.scheduler.LaunchProgress;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What instance launchers call: {@code GET /api/v1/instances/{id}/bundle}, {@code POST .../progress} and
 * {@code POST .../credential} (a fresh credential for the one presented). They
 * authenticate with their per-instance credential, which is accepted for that instance only and expires; users'
 * credentials are not accepted here.
 */
public final class LauncherRoutes extends ApiSupport {

    /** The launcher's progress report. */
    public record ProgressBody(String instanceId, String step, String state, String message, List<String> outputTail,
            Long sequence, Instant time, List<String> routes) {
    }

    /** A renewed credential, as the launcher receives it. */
    public record RenewedCredential(String token, long expiresInSeconds) {
    }

    private final InstanceCredentials credentials;
    private final Duration renewedLifetime;

    /** @param renewedLifetime how long a credential the launcher renews lives (its runtime's launcher credential lifetime) */
    public LauncherRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity,
            ObjectMapper mapper, Duration askTimeout, InstanceCredentials credentials, Duration renewedLifetime) {
        super(system, catalog, identity, mapper, askTimeout);
        this.credentials = credentials;
        this.renewedLifetime = renewedLifetime;
    }

    public Route routes() {
        // An id that cannot be an instance's is left to InstanceRoutes, which answers 404 for it.
        return pathPrefix("instances", () -> pathPrefix(PathMatchers.segment(), id -> !InstanceIds.plausible(id) ? reject() : concat(
                // A running launcher keeps a short-lived credential alive with the one it has, for its instance only.
                path("credential", () -> post(() -> withInstanceCredential(id, () -> json(StatusCodes.OK,
                        new RenewedCredential(credentials.issue(id, renewedLifetime), renewedLifetime.toSeconds()))))),
                path("bundle", () -> get(() -> withInstanceCredential(id, () -> download(
                        instanceRecord(id).thenCompose(record -> this.<BlobDownload>ask(r ->
                                new CatalogActor.OpenBundleForInstance(record.appName(), record.appVersion(), r))),
                        true)))),
                path("progress", () -> post(() -> withInstanceCredential(id, () -> entity(body(ProgressBody.class), body -> {
                    if (body.instanceId() != null && !body.instanceId().equals(id)) {
                        throw ApiException.badParameter("instanceId", "the report names another instance");
                    }
                    if (body.step() == null || body.state() == null) {
                        throw ApiException.badParameter("step", "a progress report needs a step and a state");
                    }
                    instance(id).tell(new InstanceActor.ReportProgress(new LaunchProgress(body.step(), body.state(),
                            body.message(), body.outputTail(), Optional.ofNullable(body.sequence()).orElse(0L),
                            Optional.ofNullable(body.time()).orElse(Instant.now()), body.routes())));
                    return complete(StatusCodes.NO_CONTENT);
                })))))));
    }

    private Route withInstanceCredential(String id, java.util.function.Supplier<Route> inner) {
        return optionalHeaderValueByName("Authorization", header -> {
            Optional<String> token = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim());
            if (token.isEmpty() || credentials.verify(token.get(), id).isEmpty()) {
                throw new ApiException(Problem.of("invalid-instance-credential", "Invalid instance credential", 401,
                        "this endpoint takes the instance's own credential, valid and unexpired", null));
            }
            return inner.get();
        });
    }

    private java.util.concurrent.CompletionStage<InstanceRecord> instanceRecord(String id) {
        return instance(id).<InstanceActor.Reply>ask(InstanceActor.Get::new, askTimeout).thenApply(reply -> {
            if (reply instanceof InstanceActor.Done done && done.view().record().isPresent()) {
                return done.view().record().get();
            }
            throw new ApiException(Problem.of("instance-not-found", "Instance not found", 404, "no instance " + id, null));
        });
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<InstanceActor.Command> instance(String id) {
        return ClusterSharding.get(system).entityRefFor(InstanceActor.TYPE_KEY, id);
    }
}
