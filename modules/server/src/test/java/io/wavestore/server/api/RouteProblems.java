package io.wavestore.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.server.problem.ProblemResponses;
import java.io.IOException;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;

/** What the route tests check of an answer that refuses: its status, and a problem+json body of the stable code. */
final class RouteProblems {

    private RouteProblems() {
    }

    /** @param field the input the problem names, or null when it names none */
    static void assertProblem(ObjectMapper mapper, TestRouteResult result, int status, String code, String field) {
        result.assertStatusCode(status).assertContentType(ProblemResponses.PROBLEM_JSON);
        JsonNode problem;
        try {
            problem = mapper.readTree(result.entityString());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + result.entityString(), e);
        }
        assertThat(problem.get("type").asText()).as(problem.toString()).endsWith(":" + code);
        if (field != null) {
            assertThat(problem.path("field").asText()).as(problem.toString()).isEqualTo(field);
        }
    }
}
