package io.wavestore.server.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.http.javadsl.model.Uri;
import org.junit.jupiter.api.Test;

class InputGuardTest {

    private static java.util.Optional<Problem> check(String uri) {
        return InputGuard.problem(Uri.create(uri));
    }

    @Test
    void plainPathsAndQueriesPass() {
        assertThat(check("/api/v1/apps/hello/1.0.0?q=caf%C3%A9%20au%20lait&limit=5")).isEmpty();
        assertThat(check("/api/v1/apps/%E2%80%AE%F0%9F%98%80/1")).as("unicode oddities are names, not controls").isEmpty();
    }

    @Test
    void controlCharactersInThePathAreRefused() {
        assertThat(check("/api/v1/apps/a%00b/1.0").orElseThrow().type()).isEqualTo(Problem.TYPE_PREFIX + "invalid-path");
        assertThat(check("/api/v1/tags/x%0D%0Ay")).isPresent();
        assertThat(check("/api/v1/tags/x%1B%5B31m")).isPresent();
    }

    @Test
    void controlCharactersInTheQueryAreRefusedNamingTheParameter() {
        Problem problem = check("/api/v1/apps?name=a%00").orElseThrow();
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("name");
        assertThat(check("/api/v1/apps?a%0Ab=1").orElseThrow().field()).isNull();
    }
}
