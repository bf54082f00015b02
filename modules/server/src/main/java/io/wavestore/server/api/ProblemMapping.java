package io.wavestore.server.api;

import io.wavestore.router.problem.Problem;
import io.wavestore.bundle.BundleException;
import io.wavestore.catalog.CatalogException;
import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.CsrfException;
import io.wavestore.identity.IdentityProviderUnavailableException;
import io.wavestore.identity.oidc.SignInException;
import io.wavestore.identity.token.ApiTokenException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever went wrong into the problem the client sees: one place, one status per kind of error. */
public final class ProblemMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

    private ProblemMapping() {
    }

    public static Problem toProblem(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ApiException api) {
            return api.problem();
        }
        if (e instanceof BundleException bundle) {
            // The bundle was received and read, and its content is not acceptable.
            return Problem.of(bundle.error().code(), bundle.error().title(), 422, bundle.getMessage(),
                            bundle.violations().size() == 1 ? bundle.violations().get(0).field() : null)
                    .withErrors(bundle.violations().stream()
                            .map(v -> new Problem.FieldError(v.field(), v.message()))
                            .toList());
        }
        if (e instanceof CatalogException catalog) {
            return Problem.of(catalog.error().code(), catalog.error().title(), status(catalog), catalog.getMessage(),
                    catalog.field().orElse(null));
        }
        if (e instanceof AuthenticationException auth) {
            return Problem.of("unauthenticated", "Not authenticated", 401, auth.getMessage(), null);
        }
        if (e instanceof CsrfException csrf) {
            return Problem.of("csrf", "CSRF token missing or wrong", 403, csrf.getMessage(), "X-CSRF-Token");
        }
        if (e instanceof IdentityProviderUnavailableException provider) {
            LOG.warn("identity provider unavailable: {}", provider.getMessage());
            return Problem.of("identity-provider-unavailable", "Identity provider unavailable", 503,
                    "the store cannot reach its identity provider to check who you are; try again later", null);
        }
        if (e instanceof SignInException signIn) {
            return switch (signIn.reason()) {
                case INVALID_STATE -> Problem.of("sign-in-state-invalid", "Sign-in not recognised", 400,
                        signIn.getMessage(), "state");
                case PROVIDER_REFUSED, TOKEN_REJECTED -> Problem.of("sign-in-failed", "Sign-in failed", 401,
                        signIn.getMessage(), null);
            };
        }
        if (e instanceof ApiTokenException token) {
            return token.field() == null
                    ? Problem.of("too-many-tokens", "Too many API tokens", 409, token.getMessage(), null)
                    : Problem.of("invalid-field", "Invalid field", 422, token.getMessage(), token.field());
        }
        if (e instanceof EntityStreamSizeException size) {
            return Problem.of("payload-too-large", "Upload too large", 413,
                    "the upload is larger than the limit of " + size.limit() + " bytes (wavestore.upload.max-bytes)", null);
        }
        if (e instanceof TimeoutException || e instanceof org.apache.pekko.pattern.AskTimeoutException) {
            return Problem.of("timeout", "Timed out", 503, "the store did not answer in time; try again", null);
        }
        LOG.error("unexpected error while serving a request", e);
        return Problem.of("internal-error", "Internal error", 500,
                "something went wrong on the server; the store's log has the details", null);
    }

    private static int status(CatalogException e) {
        return switch (e.error()) {
            case APP_NOT_FOUND, IMAGE_NOT_FOUND, TAG_NOT_FOUND -> 404;
            case APP_VERSION_EXISTS, APP_NAME_TAKEN, TAG_EXISTS -> 409;
            case FORBIDDEN -> 403;
            case SIGN_IN_REQUIRED -> 401;
            case INVALID_FIELD -> 422;
            case BLOB_MISSING -> 500;
        };
    }

    /** Finds the error that says what happened under the wrappers of futures and streams. */
    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException
                || e instanceof org.apache.pekko.stream.IOOperationIncompleteException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
