package io.wavestore.server.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;

/**
 * Writes problems as {@code application/problem+json}, for exceptions (each API turns its own exceptions into
 * problems with the mapping it gives) and for pekko-http's own rejections.
 */
public final class ProblemResponses {

    public static final ContentType PROBLEM_JSON =
            ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

    private final ObjectMapper mapper;
    private final Function<Throwable, Problem> mapping;

    /** @param mapping the problem for an exception that escaped a route (it logs what it does not expect) */
    public ProblemResponses(ObjectMapper mapper, Function<Throwable, Problem> mapping) {
        this.mapper = mapper;
        this.mapping = mapping;
    }

    /**
     * Every 503 (a database outage, an identity provider away, a time-out) passes; clients are told when to try
     * again.
     */
    public static final long RETRY_AFTER_SECONDS = io.wavestore.identity.DatabaseOutage.RETRY_AFTER_SECONDS;

    public HttpResponse response(Problem problem) {
        HttpResponse response = HttpResponse.create()
                .withStatus(StatusCodes.get(problem.status()))
                .withEntity(HttpEntities.create(PROBLEM_JSON, write(problem)));
        return problem.status() == 503
                ? response.addHeader(RetryAfter.create(RETRY_AFTER_SECONDS))
                : response;
    }

    /** Any exception escaping a route becomes its problem. */
    public ExceptionHandler exceptionHandler(String path) {
        return ExceptionHandler.newBuilder()
                .matchAny(e -> org.apache.pekko.http.javadsl.server.Directives.complete(
                        response(mapping.apply(e).withInstance(path))))
                .build();
    }

    /**
     * pekko-http's rejections (no such route, wrong method, malformed JSON, unsupported media type) keep their
     * status and message, in a problem body instead of plain text.
     */
    public RejectionHandler rejectionHandler() {
        // A body refused by JsonBodies (or another refusal with a known problem) answers that problem.
        RejectionHandler refusedBodies = RejectionHandler.newBuilder()
                .handle(ProblemRejection.class, rejection -> Directives.complete(response(rejection.problem())))
                .build();
        return refusedBodies.withFallback(RejectionHandler.defaultHandler()).mapRejectionResponse(response -> {
            if (response.entity().getContentType().equals(PROBLEM_JSON)) {
                return response;
            }
            String detail = response.entity() instanceof org.apache.pekko.http.javadsl.model.HttpEntity.Strict strict
                    ? strict.getData().utf8String()
                    : response.status().reason();
            int status = response.status().intValue();
            return response.withEntity(HttpEntities.create(PROBLEM_JSON, write(Problem.of(
                    codeFor(status), response.status().reason(), status, detail, null))));
        });
    }

    private byte[] write(Problem problem) {
        try {
            return mapper.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem cannot be written", e);
        }
    }

    /** The stable problem type of a status pekko-http answers by itself. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad-request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 408 -> "request-timeout";
            case 411 -> "length-required";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 416 -> "range-not-satisfiable";
            case 417 -> "expectation-failed";
            case 422 -> "unprocessable-content";
            case 431 -> "header-fields-too-large";
            case 501 -> "not-implemented";
            case 503 -> "unavailable";
            case 505 -> "http-version-not-supported";
            default -> "http-" + status;
        };
    }
}
