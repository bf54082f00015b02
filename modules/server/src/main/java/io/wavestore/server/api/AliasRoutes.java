package io.wavestore.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Caller;
import io.wavestore.router.RouteResolver;
import io.wavestore.router.RouteTarget;
import io.wavestore.router.Router;
import io.wavestore.router.RouterSettings;
import io.wavestore.router.StoreCaller;
import io.wavestore.router.alias.Alias;
import io.wavestore.server.alias.AliasException;
import io.wavestore.server.alias.AliasService;
import io.wavestore.server.problem.InputGuard;
import io.wavestore.server.problem.JsonBodies;
import io.wavestore.server.problem.ProblemMapping;
import io.wavestore.server.problem.ProblemResponses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/aliases}, for admins: list, create, read, assign to an instance, promote to primary, delete. Errors
 * are RFC 9457 {@code application/problem+json} like everywhere else in the API. A change authenticated by the
 * session cookie must carry the session's CSRF token, as everywhere else in the API.
 */
public final class AliasRoutes extends AllDirectives {

    /** {@code POST /aliases}: a name, optionally the instance it points at and whether it is its primary alias. */
    public record CreateBody(String name, String instance, Boolean primary) {
    }

    /** {@code PUT /aliases/{name}/instance}. */
    public record AssignBody(String instance) {
    }

    /**
     * An alias as the API shows it.
     *
     * @param url where browsers reach the instance through it (empty while it points nowhere)
     */
    public record AliasView(String name, String instance, boolean primary, String url, String createdBy,
            Instant createdAt, Instant updatedAt) {
    }

    private final AliasService aliases;
    private final Router router;
    private final RouteResolver resolver;
    private final StoreCaller callers;
    private final RouterSettings settings;
    private final ObjectMapper mapper;
    private final Executor blocking;
    private final ProblemResponses problems;

    /** @param router this replica's router: it resolves the instances aliases point at, and follows their changes */
    public AliasRoutes(AliasService aliases, Router router, RouterSettings settings, ObjectMapper mapper, Executor blocking) {
        this.aliases = aliases;
        this.router = router;
        this.resolver = router.cache();
        this.callers = router.callers();
        this.settings = settings;
        this.mapper = mapper;
        this.blocking = blocking;
        this.problems = new ProblemResponses(mapper, ProblemMapping::toProblem);
    }

    public Route routes() {
        return pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("aliases", () -> extractUri(uri ->
                handleExceptions(problems.exceptionHandler(uri.path()), () -> handleRejections(problems.rejectionHandler(), () ->
                        InputGuard.plainInput(() -> extractRequest(request -> onSuccess(callers.resolveGuarded(request), caller -> {
                            requireAdmin(caller);
                            return concat(
                                    pathEnd(() -> concat(
                                            get(() -> parameterOptional("instance", instance -> list(instance))),
                                            post(() -> entity(JsonBodies.reader(mapper, CreateBody.class),
                                                    body -> create(caller, body))))),
                                    pathPrefix(PathMatchers.segment(), name -> concat(
                                            pathEnd(() -> concat(
                                                    get(() -> json(StatusCodes.OK, blockingCall(() -> aliases.find(name)
                                                            .orElseThrow(() -> AliasException.notFound(name)))
                                                            .thenCompose(this::view))),
                                                    delete(() -> onSuccess(change(name, () -> {
                                                        aliases.delete(name);
                                                        return name;
                                                    }), deleted -> complete(StatusCodes.NO_CONTENT))))),
                                            path("instance", () -> put(() -> entity(JsonBodies.reader(mapper,
                                                    AssignBody.class), body -> assign(name, body)))),
                                            path("primary", () -> put(() -> json(StatusCodes.OK,
                                                    change(name, () -> aliases.promote(name)).thenCompose(this::view)))))));
                        })))))))));
    }

    private Route list(Optional<String> instance) {
        CompletionStage<List<AliasView>> views = blockingCall(() -> instance.filter(i -> !i.isBlank())
                        .map(aliases::listFor).orElseGet(aliases::list))
                .thenCompose(all -> {
                    List<CompletableFuture<AliasView>> each = new ArrayList<>();
                    all.forEach(alias -> each.add(view(alias).toCompletableFuture()));
                    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                            .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
                });
        return json(StatusCodes.OK, views);
    }

    private Route create(Caller caller, CreateBody body) {
        String name = body.name() == null ? "" : body.name().trim();
        Alias.invalidName(name).ifPresent(problem -> {
            throw AliasException.invalid("name", problem);
        });
        Optional<String> instance = Optional.ofNullable(body.instance()).map(String::trim).filter(i -> !i.isEmpty());
        boolean primary = Boolean.TRUE.equals(body.primary());
        CompletionStage<AliasView> created = instanceMustExist(instance)
                .thenCompose(ok -> change(name, () -> aliases.create(name, instance, primary, caller.id())))
                .thenCompose(this::view);
        return onSuccess(created, view -> respondWithHeader(Location.create("/api/v1/aliases/" + view.name()),
                () -> completeJson(StatusCodes.CREATED, view)));
    }

    private Route assign(String name, AssignBody body) {
        String instance = body.instance() == null ? "" : body.instance().trim();
        if (instance.isEmpty()) {
            throw AliasException.invalid("instance", "instance is required: the id of the instance the alias points at");
        }
        return json(StatusCodes.OK, instanceMustExist(Optional.of(instance))
                .thenCompose(ok -> change(name, () -> aliases.assign(name, instance)))
                .thenCompose(this::view));
    }

    private CompletionStage<Boolean> instanceMustExist(Optional<String> instance) {
        if (instance.isEmpty()) {
            return CompletableFuture.completedFuture(true);
        }
        return resolver.resolveFresh(instance.get()).thenApply(target -> {
            if (!target.exists()) {
                throw new AliasException(AliasException.INSTANCE_NOT_FOUND, "there is no instance " + instance.get(),
                        "instance");
            }
            return true;
        });
    }

    /** Makes a change, then tells every replica and waits until this one sees it. */
    private <T> CompletionStage<T> change(String name, Supplier<T> work) {
        return blockingCall(work).thenCompose(result -> router.aliasChanged(name).thenApply(seen -> result));
    }

    private CompletionStage<AliasView> view(Alias alias) {
        if (alias.instanceId().isEmpty()) {
            return CompletableFuture.completedFuture(view(alias, null));
        }
        return resolver.resolve(alias.instanceId().get())
                .handle((target, error) -> view(alias, url(alias.name(), target)));
    }

    private String url(String name, RouteTarget target) {
        if (target != null && target.exists() && target.routingMode() == RoutingMode.DOMAIN) {
            return settings.domainOrigin(name) + "/";
        }
        return settings.instanceUrl(name);
    }

    private static AliasView view(Alias alias, String url) {
        return new AliasView(alias.name(), alias.instanceId().orElse(null), alias.primary(), url, alias.createdBy(),
                alias.createdAt(), alias.updatedAt());
    }

    private <T> CompletionStage<T> blockingCall(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.signedIn()) {
            throw new AliasException(AliasException.SIGN_IN_REQUIRED, "sign in as an admin to manage aliases", null);
        }
        if (!caller.isAdmin()) {
            throw new AliasException(AliasException.FORBIDDEN, "only admins manage aliases", null);
        }
    }

    private <T> Route json(StatusCode status, CompletionStage<T> value) {
        return onSuccess(value, v -> completeJson(status, v));
    }

    private Route completeJson(StatusCode status, Object value) {
        try {
            return complete(HttpResponse.create().withStatus(status)
                    .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, mapper.writeValueAsBytes(value))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

}
