package io.wavestore.server.api;

import io.wavestore.activity.ActivityKind;
import io.wavestore.activity.Subject;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.CallerResolver;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records alias changes in the activity history from outside the alias API (which the router module owns): a
 * successful POST, PUT or DELETE under {@code /api/v1/aliases} is one fact, by the caller the request proved to be.
 */
public final class AliasActivity extends AllDirectives {

    private static final Logger LOG = LoggerFactory.getLogger(AliasActivity.class);
    private static final String PREFIX = "/api/v1/aliases";

    private final CallerResolver identity;
    private final ActivityFacts facts;
    private final Executor blocking;

    public AliasActivity(ActorSystem<?> system, CallerResolver identity) {
        this.identity = identity;
        this.facts = new ActivityFacts(system);
        this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("wavestore.identity.dispatcher"));
    }

    public Route around(Route inner) {
        return extractRequest(request -> change(request)
                .map(kind -> mapResponse(response -> recorded(request, response, kind), () -> inner))
                .orElse(inner));
    }

    private HttpResponse recorded(HttpRequest request, HttpResponse response, ActivityKind kind) {
        if (response.status().isSuccess()) {
            String name = kind == ActivityKind.ALIAS_CREATED
                    ? response.getHeader("Location").map(h -> h.value().substring(h.value().lastIndexOf('/') + 1)).orElse("")
                    : request.getUri().path().substring(PREFIX.length() + 1).split("/")[0];
            String what = request.getUri().path().endsWith("/primary") ? "primary"
                    : request.getUri().path().endsWith("/instance") ? "instance" : "";
            // Who it was is asked again, off the request threads: the alias API knew, but does not say.
            CompletableFuture.runAsync(() -> {
                try {
                    var caller = identity.authenticate(ApiSupport.credentials(request)).caller();
                    facts.other(ActivityFacts.actor(caller, request), kind, new Subject(Subject.Type.ALIAS, name),
                            what.isEmpty() ? Map.of() : Map.of("changed", what));
                } catch (AuthenticationException | RuntimeException e) {
                    LOG.warn("alias {}: the change is not in the activity history: {}", name, e.toString());
                }
            }, blocking);
        }
        return response;
    }

    private static Optional<ActivityKind> change(HttpRequest request) {
        String path = request.getUri().path();
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        boolean collection = path.equals(PREFIX) || path.equals(PREFIX + "/");
        if (request.method().equals(HttpMethods.POST) && collection) {
            return Optional.of(ActivityKind.ALIAS_CREATED);
        }
        if (request.method().equals(HttpMethods.PUT) && !collection) {
            return Optional.of(ActivityKind.ALIAS_CHANGED);
        }
        if (request.method().equals(HttpMethods.DELETE) && !collection) {
            return Optional.of(ActivityKind.ALIAS_DELETED);
        }
        return Optional.empty();
    }
}
