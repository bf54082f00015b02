package io.wavestore.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.server.problem.Problem;
import io.wavestore.scheduler.secrets.SecretConflict;
import io.wavestore.scheduler.secrets.SecretNames;
import io.wavestore.scheduler.secrets.SecretScope;
import io.wavestore.scheduler.secrets.SecretStore;
import io.wavestore.scheduler.secrets.StoredSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/secrets}: full users and admins create, list, read, replace and delete the secrets apps refer to.
 * Values go in and never come out: every answer is a {@link SecretView}. The store's calls block (Kubernetes, files)
 * and run on the scheduler's blocking dispatcher.
 */
public final class SecretRoutes extends ApiSupport {

    /** Kubernetes keeps a Secret under 1 MiB; this leaves room for its metadata. */
    static final int MAX_BYTES = 512 * 1024;
    /** As app.toml's App.Name: checked before the catalog is asked. */
    private static final java.util.regex.Pattern APP_NAME = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

    private final SecretStore store;
    private final SecretAccess access;
    private final Executor blocking;
    private final SecretChanges changes;

    public SecretRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity,
            ObjectMapper mapper, Duration askTimeout, SecretStore store,
            java.util.function.Function<String, Optional<String>> appOwner, SecretChanges changes) {
        super(system, catalog, identity, mapper, askTimeout);
        this.store = store;
        this.access = new SecretAccess(appOwner);
        this.changes = changes;
        this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("wavestore.scheduler.blocking-dispatcher"));
    }

    public Route routes() {
        return pathPrefix("secrets", () -> withCaller(caller -> {
            requireSecrets(caller);
            return concat(
                    pathEnd(() -> concat(
                            get(() -> onSuccess(off(() -> store.list().stream().filter(s -> access.maySee(caller, s))
                                    .sorted(Comparator.comparing(StoredSecret::name).thenComparing(StoredSecret::id))
                                    .map(SecretView::of).toList()), list -> json(StatusCodes.OK, list))),
                            post(() -> entity(body(SecretBody.class), body -> onSuccess(off(() -> create(caller, body)),
                                    created -> respondWithHeader(Location.create(ApiPaths.secret(created.id())),
                                            () -> json(StatusCodes.CREATED, created))))))),
                    path(PathMatchers.segment(), id -> concat(
                            get(() -> onSuccess(off(() -> SecretView.of(visible(caller, id))), view -> json(StatusCodes.OK, view))),
                            put(() -> entity(body(SecretBody.class), body -> onSuccess(off(() -> replace(caller, id, body)),
                                    view -> json(StatusCodes.OK, view)))),
                            delete(() -> onSuccess(off(() -> {
                                StoredSecret secret = changeable(caller, id);
                                if (!store.delete(id)) {
                                    throw notFound(id);
                                }
                                changes.deleted(caller, secret);
                                return id;
                            }), deleted -> complete(StatusCodes.NO_CONTENT))))));
        }));
    }

    private SecretView create(Caller caller, SecretBody body) {
        if (body.name() == null || !SecretNames.NAME.matcher(body.name()).matches()) {
            throw invalid("name", "a secret needs a name of letters, digits, '.', '-' and '_' (at most 253), as app.toml's"
                    + " Secret refers to it");
        }
        SecretScope scope = scope(body.scope());
        Optional<String> app = Optional.ofNullable(body.app()).filter(a -> !a.isBlank());
        if (scope == SecretScope.APP && app.isEmpty()) {
            throw invalid("app", "an APP secret names the app it is bound to");
        }
        if (app.isPresent() && (app.get().length() > 253 || !APP_NAME.matcher(app.get()).matches())) {
            throw invalid("app", "there is no app by that name: app names are a-z, 0-9, '.' and '-'");
        }
        if (scope != SecretScope.APP && app.isPresent()) {
            throw invalid("app", "only APP secrets are bound to an app");
        }
        Map<String, String> values = values(body);
        access.refusalToCreate(caller, scope, app).ifPresent(refusal -> {
            throw refusal;
        });
        try {
            StoredSecret created = store.create(new SecretStore.NewSecret(body.name(), scope, caller.id(), app), values);
            changes.created(caller, created);
            return SecretView.of(created);
        } catch (SecretConflict e) {
            throw new ApiException(Problem.of("secret-exists", "Secret exists", 409, e.getMessage()
                    + "; change its values with PUT, or delete it first", "name"));
        }
    }

    private SecretView replace(Caller caller, String id, SecretBody body) {
        StoredSecret secret = changeable(caller, id);
        if (body.name() != null && !body.name().equals(secret.name())) {
            throw invalid("name", "a secret cannot be renamed; create a new one");
        }
        if (body.scope() != null && scope(body.scope()) != secret.scope()) {
            throw invalid("scope", "a secret's scope cannot change; create a new one");
        }
        Map<String, String> values = values(body);
        StoredSecret replaced = store.replace(id, values).orElseThrow(() -> notFound(id));
        changes.replaced(caller, replaced);
        return SecretView.of(replaced);
    }

    private StoredSecret visible(Caller caller, String id) {
        return store.get(id).filter(s -> access.maySee(caller, s)).orElseThrow(() -> notFound(id));
    }

    private StoredSecret changeable(Caller caller, String id) {
        StoredSecret secret = visible(caller, id);
        if (!access.mayChange(caller, secret)) {
            throw forbidden("only admins change " + secret.scope() + " secrets");
        }
        return secret;
    }

    private static void requireSecrets(Caller caller) {
        if (!caller.signedIn()) {
            throw new ApiException(Problem.of("sign-in-required", "Sign-in required", 401, "sign in to manage secrets", null));
        }
        if (!SecretAccess.hasSecrets(caller)) {
            throw forbidden("visitors have no secrets");
        }
    }

    private static SecretScope scope(String text) {
        if (text == null) {
            throw invalid("scope", "a secret needs a scope: PRIVATE, ALL_USERS or APP");
        }
        try {
            return SecretScope.valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw invalid("scope", "scope must be PRIVATE, ALL_USERS or APP, not '" + text + "'");
        }
    }

    /** The values, checked: keys as Kubernetes takes them, text only, within the size a Secret may have. */
    private static Map<String, String> values(SecretBody body) {
        if (body.values() == null || body.values().isEmpty()) {
            throw invalid("values", "a secret needs at least one key with its value");
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : body.values().entrySet()) {
            if (!SecretNames.KEY.matcher(entry.getKey()).matches()) {
                throw invalid("values", "keys are letters, digits, '.', '-' and '_' (at most 253); one is not");
            }
            if (entry.getValue() == null) {
                throw invalid("values", "the value of key '" + entry.getKey() + "' is missing");
            }
            bytes += entry.getKey().length() + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_BYTES) {
            throw new ApiException(Problem.of("payload-too-large", "Secret too large", 413,
                    "a secret holds at most " + MAX_BYTES + " bytes of keys and values", "values"));
        }
        return Map.copyOf(body.values());
    }

    private <T> CompletionStage<T> off(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, blocking);
    }

    private static ApiException invalid(String field, String detail) {
        return new ApiException(Problem.of("invalid-field", "Invalid field", 422, detail, field));
    }

    static ApiException forbidden(String detail) {
        return new ApiException(Problem.of("forbidden", "Not allowed", 403, detail, null));
    }

    private static ApiException notFound(String id) {
        return new ApiException(Problem.of("secret-not-found", "Secret not found", 404, "no secret " + id + " that you may see",
                null));
    }
}
