package io.wavestore.server.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.bundle.BundleError;
import io.wavestore.bundle.BundleException;
import io.wavestore.bundle.FieldViolation;
import io.wavestore.catalog.CatalogError;
import io.wavestore.catalog.CatalogException;
import io.wavestore.server.alias.AliasException;
import io.wavestore.scheduler.InstanceActor;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Every module's refusals answer through the one mapper with the problems the API has always answered. */
class ProblemMappingTest {

    @Test
    void aBundleIsRefusedWith422AndEveryFieldThatWasWrong() {
        Problem one = ProblemMapping.toProblem(BundleException.invalidManifest(
                List.of(new FieldViolation("app.version", "must be a version"))));
        assertThat(one.type()).isEqualTo("urn:wavestore:problem:invalid-manifest");
        assertThat(one.status()).isEqualTo(422);
        assertThat(one.field()).isEqualTo("app.version");
        assertThat(one.errors()).containsExactly(new Problem.FieldError("app.version", "must be a version"));

        Problem two = ProblemMapping.toProblem(new CompletionException(BundleException.invalidManifest(List.of(
                new FieldViolation("app.name", "missing"), new FieldViolation("app.title", "missing")))));
        assertThat(two.field()).as("several fields: none named alone").isNull();
        assertThat(two.errors()).hasSize(2);

        Problem zip = ProblemMapping.toProblem(new BundleException(BundleError.NOT_A_ZIP, "not a zip"));
        assertThat(zip).isEqualTo(Problem.of("not-a-zip", "Not a zip archive", 422, "not a zip", null));
    }

    @Test
    void catalogRefusalsKeepTheirStatuses() {
        assertThat(ProblemMapping.toProblem(new CatalogException(CatalogError.APP_NOT_FOUND, "no app x")))
                .isEqualTo(Problem.of("app-not-found", "App not found", 404, "no app x", null));
        assertThat(ProblemMapping.toProblem(new CatalogException(CatalogError.TAG_EXISTS, "exists", "name")))
                .isEqualTo(Problem.of("tag-exists", "Tag already exists", 409, "exists", "name"));
        assertThat(ProblemMapping.toProblem(new CatalogException(CatalogError.FORBIDDEN, "no")).status()).isEqualTo(403);
        assertThat(ProblemMapping.toProblem(new CatalogException(CatalogError.SIGN_IN_REQUIRED, "no")).status())
                .isEqualTo(401);
        assertThat(ProblemMapping.toProblem(new CatalogException(CatalogError.INVALID_FIELD, "no", "tag")).status())
                .isEqualTo(422);
        assertThat(ProblemMapping.toProblem(new CatalogException(CatalogError.BLOB_MISSING, "gone")).status())
                .isEqualTo(500);
    }

    @Test
    void refusedInstanceCommandsNameTheFieldTheyAreAbout() {
        assertThat(ProblemMapping.toProblem(InstanceActor.Problem.NOT_FOUND.refused("no instance i-1")))
                .isEqualTo(Problem.of("instance-not-found", "Instance not found", 404, "no instance i-1", null));
        assertThat(ProblemMapping.toProblem(InstanceActor.Problem.CONFLICT.refused("running")))
                .isEqualTo(Problem.of("instance-conflict", "Not possible now", 409, "running", null));
        assertThat(ProblemMapping.toProblem(InstanceActor.Problem.APP_NOT_FOUND.refused("no version")))
                .isEqualTo(Problem.of("app-not-found", "App not found", 404, "no version", "version"));
        assertThat(ProblemMapping.toProblem(InstanceActor.Problem.SECRET_UNAVAILABLE.refused("no secret")))
                .isEqualTo(Problem.of("secret-unavailable", "A secret the app needs is unavailable", 422, "no secret",
                        "secrets"));
        assertThat(ProblemMapping.toProblem(InstanceActor.Problem.FAILED.refused("helm failed")))
                .isEqualTo(Problem.of("runtime-failed", "The cluster did not make the change", 502, "helm failed", null));
    }

    @Test
    void aliasRefusalsToo() {
        assertThat(ProblemMapping.toProblem(AliasException.notFound("sales")))
                .isEqualTo(Problem.of("alias-not-found", "Alias not found", 404, "there is no alias sales", null));
        assertThat(ProblemMapping.toProblem(AliasException.invalid("name", "bad")))
                .isEqualTo(Problem.of("invalid-parameter", "Invalid parameter", 400, "bad", "name"));
        assertThat(ProblemMapping.toProblem(new AliasException(AliasException.EXISTS, "exists", "name")).status())
                .isEqualTo(409);
    }
}
