package io.wavestore.server.api;

import io.wavestore.server.problem.InputGuard;
import io.wavestore.server.problem.ProblemMapping;
import io.wavestore.server.problem.Problem;
import io.wavestore.server.problem.ProblemResponses;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.identity.CallerResolver;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Everything under {@code /api/v1}: apps, tags, instances, the caller, API tokens, and the OpenAPI document. Every
 * error below here, thrown or rejected, answers as {@code application/problem+json}.
 */
public final class ApiRoutes extends ApiSupport {

    /** Without a runtime the instance API says so, instead of pretending. */
    private static Route instancesUnavailable() {
        return new ApiRoutes.Unavailable().route();
    }

    private static final class Unavailable extends org.apache.pekko.http.javadsl.server.AllDirectives {
        Route route() {
            ApiException unavailable = new ApiException(Problem.of("instances-unavailable", "Instances unavailable", 503,
                    "this store has no instance runtime configured (wavestore.scheduler.runtime = none); set"
                            + " WAVESTORE_RUNTIME to run instances", null));
            return concat(pathPrefix("instances", () -> failWith(unavailable)), pathPrefix("aliases", () -> failWith(unavailable)),
                    pathPrefix("secrets", () -> failWith(unavailable)));
        }
    }

    private final AppRoutes apps;
    private final TagRoutes tags;
    private final Optional<InstanceRoutes> instances;
    private final Optional<LauncherRoutes> launchers;
    private final TokenRoutes tokens;
    private final Optional<SecretRoutes> secrets;
    private final ActivityRoutes activity;
    private final ProblemResponses problems;

    public ApiRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity, ObjectMapper mapper,
            Duration askTimeout, AppRoutes apps, TagRoutes tags, Optional<InstanceRoutes> instances,
            Optional<LauncherRoutes> launchers, TokenRoutes tokens, Optional<SecretRoutes> secrets,
            ActivityRoutes activity) {
        super(system, catalog, identity, mapper, askTimeout);
        this.apps = apps;
        this.tags = tags;
        this.instances = instances;
        this.launchers = launchers;
        this.tokens = tokens;
        this.secrets = secrets;
        this.activity = activity;
        this.problems = new ProblemResponses(mapper, ProblemMapping::toProblem);
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> extractUri(uri ->
                handleExceptions(problems.exceptionHandler(uri.path()), () ->
                        handleRejections(problems.rejectionHandler(), () -> InputGuard.plainInput(() -> concat(
                                apps.routes(),
                                tags.routes(),
                                // Launchers' own endpoints first: they carry an instance credential, not a user's.
                                launchers.map(LauncherRoutes::routes).orElseGet(() -> reject()),
                                instances.map(InstanceRoutes::routes).orElseGet(ApiRoutes::instancesUnavailable),
                                secrets.map(SecretRoutes::routes).orElseGet(() -> reject()),
                                path("me", () -> get(() -> withAuthentication(auth -> json(StatusCodes.OK, CallerView.of(auth))))),
                                tokens.routes(),
                                activity.routes(),
                                path("openapi.yaml", () -> get(() -> getFromResource("openapi.yaml",
                                        ContentTypes.create(MediaTypes.applicationWithFixedCharset("yaml",
                                                org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8))))),
                                pathEndOrSingleSlash(() -> get(() -> complete(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                                        "{\"openapi\":\"/api/v1/openapi.yaml\",\"apps\":\"/api/v1/apps\",\"tags\":\"/api/v1/tags\",\"me\":\"/api/v1/me\",\"tokens\":\"/api/v1/tokens\",\"secrets\":\"/api/v1/secrets\"}")))))))))));
    }
}
