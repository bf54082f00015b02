package io.wavestore.server.api;

import io.wavestore.identity.Caller;
import io.wavestore.server.problem.Problem;
import io.wavestore.identity.Role;
import io.wavestore.scheduler.secrets.SecretScope;
import io.wavestore.scheduler.secrets.StoredSecret;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may see and change which secret (never its values: nobody reads those through the API). Visitors and
 * anonymous callers have no secrets. A PRIVATE secret is its owner's; ALL_USERS secrets are seen by every full user
 * and made by admins; an APP secret is seen and changed by its app's owner and whoever made it. Admins see and
 * change every secret.
 */
final class SecretAccess {

    private final Function<String, Optional<String>> appOwner;

    /** @param appOwner who owns an app name, empty when there is no such app (blocking: a catalog look-up) */
    SecretAccess(Function<String, Optional<String>> appOwner) {
        this.appOwner = appOwner;
    }

    static boolean hasSecrets(Caller caller) {
        return caller.role() == Role.FULL_USER || caller.role() == Role.ADMIN;
    }

    boolean maySee(Caller caller, StoredSecret secret) {
        return caller.isAdmin() || switch (secret.scope()) {
            case PRIVATE -> caller.is(secret.owner());
            case ALL_USERS -> hasSecrets(caller);
            case APP -> caller.is(secret.owner()) || secret.app().flatMap(appOwner).filter(caller::is).isPresent();
        };
    }

    boolean mayChange(Caller caller, StoredSecret secret) {
        return caller.isAdmin() || (secret.scope() != SecretScope.ALL_USERS && maySee(caller, secret));
    }

    /** Why the caller may not create a secret of this scope, as the problem to answer, or empty when they may. */
    Optional<ApiException> refusalToCreate(Caller caller, SecretScope scope, Optional<String> app) {
        return switch (scope) {
            case PRIVATE -> Optional.empty();
            case ALL_USERS -> caller.isAdmin() ? Optional.empty() : Optional.of(SecretRoutes.forbidden(
                    "only admins create ALL_USERS secrets"));
            case APP -> {
                Optional<String> owner = appOwner.apply(app.orElseThrow());
                if (owner.isEmpty()) {
                    yield Optional.of(new ApiException(Problem.of("invalid-field", "Invalid field", 422,
                            "there is no app named '" + app.get() + "' to bind the secret to", "app")));
                }
                yield caller.isAdmin() || caller.is(owner.get()) ? Optional.empty() : Optional.of(SecretRoutes.forbidden(
                        "only the owner of the app '" + app.get() + "' or an admin creates its APP secrets"));
            }
        };
    }
}
