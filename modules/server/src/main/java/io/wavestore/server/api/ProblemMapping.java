package io.wavestore.server.api;

import io.wavestore.server.problem.CommonProblems;
import io.wavestore.server.problem.Problem;
import io.wavestore.bundle.BundleException;
import io.wavestore.catalog.CatalogException;
import io.wavestore.identity.IdentityProviderUnavailableException;
import io.wavestore.identity.oidc.SignInException;
import io.wavestore.identity.token.ApiTokenException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns whatever went wrong into the problem the client sees: one place, one status per kind of error. */
public final class ProblemMapping {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemMapping.class);

    private ProblemMapping() {
    }

    public static Problem toProblem(Throwable error) {
        Throwable e = CommonProblems.unwrap(error);
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
        return CommonProblems.toProblem(e);
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
}
