package io.wavestore.server.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.http.scaladsl.server.RejectionError;
import org.junit.jupiter.api.Test;

class JsonBodiesTest {

    record Body(String name, List<String> tags, Long sequence, Instant time) {
    }

    private final ObjectMapper mapper = new ObjectMapper().findAndRegisterModules();

    private Problem refusal(String json) {
        RejectionError error = catchThrowableOfType(() -> JsonBodies.read(mapper, json, Body.class), RejectionError.class);
        assertThat(error).as("refused: %s", json).isNotNull();
        return ((ProblemRejection) error.rejection()).problem();
    }

    @Test
    void readsAnObject() {
        Body body = JsonBodies.read(mapper, "{\"name\":\"a\",\"tags\":[\"x\"],\"sequence\":3}", Body.class);
        assertThat(body).isEqualTo(new Body("a", List.of("x"), 3L, null));
    }

    @Test
    void everyShapeButAnObjectIsAnInvalidBody() {
        for (String json : List.of("null", "[]", "[{\"name\":\"a\"}]", "42", "\"text\"", "true", "")) {
            Problem problem = refusal(json);
            assertThat(problem.status()).as(json).isEqualTo(400);
            assertThat(problem.type()).as(json).isEqualTo(Problem.TYPE_PREFIX + "invalid-body");
        }
    }

    @Test
    void textThatIsNotJsonIsMalformed() {
        for (String json : List.of("{", "{\"name\":}", "{'name':'a'}", "{\"name\":\"a\"} trailing", "[".repeat(5000))) {
            Problem problem = refusal(json);
            assertThat(problem.status()).as(json).isEqualTo(400);
        }
        assertThat(refusal("{").type()).isEqualTo(Problem.TYPE_PREFIX + "malformed-json");
    }

    @Test
    void wrongTypesAndHugeNumbersNameTheField() {
        assertThat(refusal("{\"name\":{\"a\":1}}").field()).isEqualTo("name");
        assertThat(refusal("{\"tags\":\"x\"}").field()).isEqualTo("tags");
        assertThat(refusal("{\"tags\":[{}]}").field()).isEqualTo("tags[0]");
        assertThat(refusal("{\"sequence\":123456789012345678901234567890}").field()).isEqualTo("sequence");
        assertThat(refusal("{\"sequence\":\"many\"}").field()).isEqualTo("sequence");
        assertThat(refusal("{\"time\":\"yesterday\"}").field()).isEqualTo("time");
        assertThat(refusal("{\"unknown\":1}").status()).isEqualTo(422);
        assertThat(refusal("{\"sequence\":\"many\"}").status()).isEqualTo(422);
    }

    @Test
    void aNulCharacterAnywhereIsRefused() {
        assertThat(refusal("{\"name\":\"a\\u0000b\"}").field()).isEqualTo("name");
        assertThat(refusal("{\"tags\":[\"ok\",\"b\\u0000\"]}").field()).isEqualTo("tags[1]");
        assertThat(refusal("{\"na\\u0000me\":\"a\"}").status()).isEqualTo(422);
    }
}
