package io.wavestore.server.http;

import io.wavestore.server.problem.ProblemMapping;
import io.wavestore.server.problem.Problem;
import io.wavestore.server.problem.ProblemResponses;
import io.wavestore.server.Wavestore;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * What pekko-http answers a request it cannot parse (a URI or headers too long, a bad request line, a malformed
 * header): the same {@code application/problem+json} as every other error, with the type of its status
 * ({@code urn:wavestore:problem:uri-too-long}...), and never a 5xx: what pekko calls 501 (an unknown method) or 505 (a
 * request line it cannot read) is the client's error, answered 405 or 400. Such requests are the client's fault and cheap to send in
 * floods, so they are logged at DEBUG only. Named in {@code pekko.http.server.parsing.error-handler}
 * (application.conf); pekko makes one per connection.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

    private static final ProblemResponses PROBLEMS = new ProblemResponses(Wavestore.jsonMapper(), ProblemMapping::toProblem);

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
        if (log.isDebugEnabled()) {
            log.debug("Illegal request, responding with status '{}': {}", status, error.formatPretty());
        }
        int code = status.intValue();
        String reason = status.reason();
        if (code == 501 && error.summary().startsWith("Unsupported HTTP method")) {
            // pekko answers a method it does not know with 501; no route of the store takes it, and a client's
            // invented method is its own error, not the server's: 405, like a known method no route takes.
            code = 405;
            reason = "Method Not Allowed";
        }
        String detail = error.summary();
        if (code == 505) {
            // pekko answers 505 for whatever it cannot read as the request line's version, a garbled line included
            // ("GET  /path HTTP/1.1"): the client's error, said as such.
            code = 400;
            reason = "Bad Request";
            detail = "the request line is malformed, or names an HTTP version other than HTTP/1.0 and HTTP/1.1";
        }
        return PROBLEMS.response(Problem.of(ProblemResponses.codeFor(code), reason, code, detail, null));
    }
}
