package io.wavestore.server.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class DatabaseOutageProblemTest {

    @Test
    void anOutageIsA503ProblemWithRetryAfter() {
        Problem problem = ProblemMapping.toProblem(new IllegalStateException(new SQLException("refused", "08001")));
        assertThat(problem.type()).isEqualTo("urn:wavestore:problem:database-unavailable");
        assertThat(problem.status()).isEqualTo(503);

        HttpResponse response = new ProblemResponses(new ObjectMapper(), ProblemMapping::toProblem).response(problem);
        assertThat(response.status().intValue()).isEqualTo(503);
        assertThat(response.getHeader("Retry-After")).hasValueSatisfying(h -> assertThat(h.value()).isEqualTo("5"));
        assertThat(new ProblemResponses(new ObjectMapper(), ProblemMapping::toProblem)
                .response(Problem.of("app-not-found", "App not found", 404, "no", null)).getHeader("Retry-After"))
                .isEmpty();
    }
}
