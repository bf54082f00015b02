package io.wavestore.router;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * The store's pekko-http routes as a function, for the requests the data plane has read whole: those it hands to the
 * routes in-process ({@link InProcessRequests}) instead of relaying them over the loopback, and writes their answers
 * itself ({@link InProcessAnswers}) as pekko-http's server would have.
 *
 * @param handler        the same routes the loopback binding serves (sealed: {@code Route.handler})
 * @param materializer   runs the answers' streamed bodies
 * @param requestTimeout pekko's {@code request-timeout} (zero: none): the routes' timeout answer is given after it
 * @param serverHeader   pekko's {@code server-header}, written when an answer has none
 * @param limits         pekko's parser limits: a request beyond one is relayed, for pekko's server to refuse
 */
public record StoreRoutes(Function<HttpRequest, CompletionStage<HttpResponse>> handler, Materializer materializer,
        Duration requestTimeout, Optional<String> serverHeader, ParserLimits limits) {

    /** pekko-http's {@code parsing} limits that a request read whole can reach (a larger body is relayed: 413 is pekko's). */
    public record ParserLimits(int maxUriLength, int maxHeaderCount, int maxHeaderNameLength, int maxHeaderValueLength,
            long maxContentLength) {
    }
}
