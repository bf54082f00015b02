package io.wavestore.catalog.blob;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import reactor.core.publisher.Mono;

/**
 * Keeps the body of every Azure error response (429, 503...) in memory, so it can be read more than once.
 *
 * <p>Why: with the JDK's HTTP client, a response body is a publisher that takes one subscriber. When a
 * download is throttled, the storage retry policy and the error handling both read the error's body, and the
 * second read fails with "This publisher has already one subscriber" instead of the download being retried.
 * Error bodies are a few hundred bytes of XML; successful bodies (the blobs) are still streamed.
 */
final class BufferedErrorResponses implements HttpPipelinePolicy {

    @Override
    public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
        return next.process().map(BufferedErrorResponses::buffered);
    }

    @Override
    public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
        return buffered(next.processSync());
    }

    private static HttpResponse buffered(HttpResponse response) {
        return response.getStatusCode() >= 400 ? response.buffer() : response;
    }
}
