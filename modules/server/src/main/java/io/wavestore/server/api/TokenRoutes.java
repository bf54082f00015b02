package io.wavestore.server.api;

import io.wavestore.activity.ActivityKind;
import java.util.Map;

import io.wavestore.server.problem.Problem;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.identity.Authentication;
import io.wavestore.identity.Authorizer;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.token.ApiTokenRow;
import io.wavestore.identity.token.ApiTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /api/v1/tokens}: the signed-in user's personal API tokens. {@code POST} creates one and answers the raw
 * token, once; {@code GET} lists them (never the tokens themselves); {@code DELETE /tokens/{id}} revokes one.
 */
public final class TokenRoutes extends ApiSupport {

    /** A token as listed; {@code token} only in the answer to its creation. */
    public record TokenView(UUID id, String name, String hint, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) String token) {

        static TokenView of(ApiTokenRow row, String token) {
            return new TokenView(row.id(), row.name(), row.hint(), row.createdAt(), row.lastUsedAt(), row.expiresAt(),
                    token);
        }
    }

    public record TokenList(List<TokenView> items) {
    }

    /** {@code POST /tokens}: a name, and optionally when the token stops working (ISO-8601). */
    public record TokenBody(String name, Instant expiresAt) {
    }

    private final ActivityFacts facts;

    private final ApiTokens tokens;

    public TokenRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity,
            ObjectMapper mapper, Duration askTimeout, ApiTokens tokens) {
        super(system, catalog, identity, mapper, askTimeout);
        this.facts = new ActivityFacts(system);
        this.tokens = tokens;
    }

    public Route routes() {
        return pathPrefix("tokens", () -> withAuthentication(auth -> concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> signedIn(auth, caller -> onSuccess(blocking(() -> tokens.list(caller.id())),
                                rows -> json(StatusCodes.OK, new TokenList(rows.stream()
                                        .map(row -> TokenView.of(row, null)).toList()))))),
                        post(() -> signedIn(auth, caller -> create(auth, caller))))),
                path(PathMatchers.segment(), id -> delete(() -> signedIn(auth, caller -> revoke(caller, id)))))));
    }

    private Route create(Authentication auth, Caller caller) {
        if (auth.method() == Authentication.Method.API_TOKEN) {
            // A leaked token must not be able to mint tokens that outlive its revocation.
            return failWith(new ApiException(Problem.of("forbidden", "Forbidden", 403,
                    "API tokens cannot create API tokens; sign in, or use an access token of the identity provider",
                    null)));
        }
        return entity(body(TokenBody.class), body -> onSuccess(
                blocking(() -> tokens.create(caller, body.name(), Optional.ofNullable(body.expiresAt()))),
                issued -> {
                    // The token's id and name; never the token itself.
                    facts.other(io.wavestore.activity.Actor.user(caller.id()), ActivityKind.TOKEN_CREATED, tokenSubject(
                            issued.row().id().toString()), Map.of("name", String.valueOf(issued.row().name())));
                    return respondWithHeader(Location.create(ApiPaths.ROOT + "/tokens/" + issued.row().id()),
                            () -> json(StatusCodes.CREATED, TokenView.of(issued.row(), issued.token())));
                }));
    }

    private Route revoke(Caller caller, String id) {
        Optional<UUID> uuid;
        try {
            uuid = Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            uuid = Optional.empty();
        }
        if (uuid.isEmpty()) {
            return failWith(notFound(id));
        }
        UUID tokenId = uuid.get();
        return extractRequest(request -> onSuccess(blocking(() -> tokens.revoke(caller.id(), tokenId)), revoked -> {
            if (!revoked) {
                return failWith(notFound(id));
            }
            facts.other(ActivityFacts.actor(caller, request), ActivityKind.TOKEN_REVOKED, tokenSubject(id), Map.of());
            return complete(StatusCodes.NO_CONTENT);
        }));
    }

    private Route signedIn(Authentication auth, Function<Caller, Route> inner) {
        if (!Authorizer.canHaveApiTokens(auth.caller())) {
            return failWith(new ApiException(Problem.of("sign-in-required", "Sign-in required", 401,
                    "API tokens belong to signed-in users; sign in first", null)));
        }
        return inner.apply(auth.caller());
    }

    private <T> CompletionStage<T> blocking(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, identityExecutor());
    }

    private static io.wavestore.activity.Subject tokenSubject(String id) {
        return new io.wavestore.activity.Subject(io.wavestore.activity.Subject.Type.TOKEN, id);
    }

    private static ApiException notFound(String id) {
        return new ApiException(Problem.of("token-not-found", "Token not found", 404,
                "you have no API token with id '" + id + "'", null));
    }
}
