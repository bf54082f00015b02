package io.wavestore.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.CatalogResult;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.CsrfException;
import io.wavestore.identity.CsrfGuard;
import io.wavestore.identity.RequestCredentials;
import io.wavestore.identity.Visibility;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import io.wavestore.catalog.model.BlobDownload;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.StreamConverters;

/** What every API route class needs: the caller, JSON in and out, and asking the catalog. */
abstract class ApiSupport extends AllDirectives {

    protected final ActorSystem<?> system;
    protected final ActorRef<CatalogActor.Command> catalog;
    protected final ObjectMapper mapper;
    private final CallerResolver identity;
    /** How long an ask of an actor (the catalog, an instance, the release watcher) may take. */
    protected final Duration askTimeout;
    private final java.util.concurrent.Executor identityExecutor;

    ApiSupport(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity, ObjectMapper mapper,
            Duration askTimeout) {
        this.system = system;
        this.catalog = catalog;
        this.identity = identity;
        this.mapper = mapper;
        this.askTimeout = askTimeout;
        this.identityExecutor = system.dispatchers().lookup(
                org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("wavestore.identity.dispatcher"));
    }

    /**
     * Resolves who sent the request; invalid credentials fail the route with a 401 problem, and a state-changing
     * request authenticated by the session cookie without the session's CSRF token with a 403 problem.
     */
    protected Route withCaller(Function<Caller, Route> inner) {
        return withAuthentication(authentication -> inner.apply(authentication.caller()));
    }

    /** The same, with how the request proved who sent it (a session carries its CSRF token). */
    protected Route withAuthentication(Function<Authentication, Route> inner) {
        return extractRequest(request -> onSuccess(authenticate(request), inner));
    }

    /** Where blocking identity work runs (sessions, API tokens, the provider): never on the request threads. */
    protected java.util.concurrent.Executor identityExecutor() {
        return identityExecutor;
    }

    /**
     * Who sent the request, resolved off the request threads: the resolver may ask the database (sessions, API
     * tokens) or the identity provider (its signing keys, a session refresh).
     */
    private CompletionStage<Authentication> authenticate(HttpRequest request) {
        RequestCredentials credentials = credentials(request);
        String method = request.method().value();
        return CompletableFuture.supplyAsync(() -> {
            try {
                Authentication authentication = identity.authenticate(credentials);
                CsrfGuard.check(authentication, method, credentials.header(CsrfGuard.HEADER));
                return authentication;
            } catch (AuthenticationException | CsrfException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, identityExecutor);
    }

    /** Asks the catalog actor; a {@link CatalogResult.Failed} reply fails the stage with its error. */
    protected <T> CompletionStage<T> ask(Function<ActorRef<CatalogResult<T>>, CatalogActor.Command> command) {
        CompletionStage<CatalogResult<T>> reply =
                AskPattern.ask(catalog, command::apply, askTimeout, system.scheduler());
        return reply.thenCompose(result -> result instanceof CatalogResult.Ok<T> ok
                ? CompletableFuture.completedFuture(ok.value())
                : CompletableFuture.<T>failedFuture(((CatalogResult.Failed<T>) result).error()));
    }

    protected <T> Route json(StatusCode status, T value) {
        return complete(status, value, Jackson.marshaller(mapper));
    }

    protected <T> Unmarshaller<org.apache.pekko.http.javadsl.model.HttpEntity, T> body(Class<T> type) {
        return io.wavestore.server.problem.JsonBodies.reader(mapper, type);
    }

    /** A query parameter trimmed, absent when blank. */
    protected static Optional<String> nonBlank(Optional<String> value) {
        return value.map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A whole-number query parameter between {@code min} and {@code max}; {@code fallback} when absent. */
    protected static int number(Optional<String> value, String field, int fallback, int min, int max) {
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.get().trim());
            if (n < min || n > max) {
                throw ApiException.badParameter(field, field + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(field, field + " must be a whole number, not '" + value.get() + "'");
        }
    }

    protected static Optional<Visibility> visibility(Optional<String> text, String field) {
        return text.map(value -> {
            try {
                return Visibility.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter(field,
                        field + " must be PRIVATE, ALL_USERS or PUBLIC, not '" + value + "'");
            }
        });
    }

    static RequestCredentials credentials(HttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach(h -> headers.put(h.lowercaseName(), h.value()));
        Map<String, String> cookies = new HashMap<>();
        request.getHeaders().forEach(h -> {
            if (h instanceof org.apache.pekko.http.javadsl.model.headers.Cookie cookie) {
                cookie.getCookies().forEach(pair -> cookies.put(pair.name(), pair.value()));
            }
        });
        return new RequestCredentials(headers, cookies);
    }

    /** Streams a stored blob with headers that keep browsers from guessing its type. */
    protected Route download(CompletionStage<BlobDownload> opened, boolean attachment) {
        return onSuccess(opened, blob -> {
            ContentType type = contentType(blob.mediaType());
            List<HttpHeader> headers = List.of(
                    RawHeader.create("ETag", "\"" + blob.digest() + "\""),
                    // Content-addressed, but visibility can change: cache privately and briefly.
                    RawHeader.create("Cache-Control", "private, max-age=300"),
                    RawHeader.create("X-Content-Type-Options", "nosniff"),
                    RawHeader.create("Content-Disposition",
                            (attachment ? "attachment" : "inline") + "; filename=\"" + blob.fileName() + "\""));
            return complete(HttpResponse.create()
                    .withStatus(StatusCodes.OK)
                    .addHeaders(headers)
                    .withEntity(HttpEntities.create(type, blob.content().size(),
                            StreamConverters.fromInputStream(() -> blob.content().stream()))));
        });
    }

    private static ContentType contentType(String mediaType) {
        return switch (mediaType) {
            case "image/png" -> ContentTypes.create(MediaTypes.IMAGE_PNG);
            case "image/jpeg" -> ContentTypes.create(MediaTypes.IMAGE_JPEG);
            case "image/gif" -> ContentTypes.create(MediaTypes.IMAGE_GIF);
            case "image/webp" -> ContentTypes.create(MediaTypes.customBinary("image", "webp", false));
            case "application/zip" -> ContentTypes.create(MediaTypes.APPLICATION_ZIP);
            default -> ContentTypes.APPLICATION_OCTET_STREAM;
        };
    }

}
