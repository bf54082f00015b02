package io.wavestore.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProblemReaderTest {

    @Test
    void aProblemDocumentKeepsItsTypeDetailFieldAndErrors() {
        Problem p = ProblemReader.read(422, "Unprocessable Entity", "application/problem+json", """
                {"type":"urn:wavestore:problem:invalid-manifest","title":"Invalid app.toml","status":422,
                 "detail":"app.toml has 1 problem","errors":[{"field":"App.Name","message":"must be lowercase"}],
                 "somethingNewer":true}""".getBytes(StandardCharsets.UTF_8));
        assertThat(p.code()).isEqualTo("invalid-manifest");
        assertThat(p.detail()).isEqualTo("app.toml has 1 problem");
        assertThat(p.errors()).containsExactly(new Problem.FieldError("App.Name", "must be lowercase"));
        assertThat(new WavestoreProblemException(p).getMessage()).isEqualTo("422 invalid-manifest: app.toml has 1 problem");
    }

    @Test
    void anAnswerThatIsNotAProblemBecomesOneWithItsText() {
        Problem html = ProblemReader.read(502, "Bad Gateway", "text/html", "<h1>proxy down</h1>".getBytes(StandardCharsets.UTF_8));
        assertThat(html.type()).isEqualTo("about:blank");
        assertThat(html.status()).isEqualTo(502);
        assertThat(html.detail()).isEqualTo("<h1>proxy down</h1>");

        Problem notJson = ProblemReader.read(500, "Internal Server Error", "application/json", "{oops".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.title()).isEqualTo("Internal Server Error");
        assertThat(ProblemReader.read(404, "Not Found", "text/plain", new byte[0]).detail()).isNull();
    }

    @Test
    void pathSegmentsAndQueryValuesAreEncoded() {
        assertThat(ApiPath.of("apps", "my app", "1.0.0+build").query("q", "a&b c").query("tag", null).toString())
                .isEqualTo("/api/v1/apps/my%20app/1.0.0%2Bbuild?q=a%26b%20c");
    }
}
