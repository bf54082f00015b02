package io.wavestore.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;

/**
 * Sends requests to one store with the client's credentials, waits for their answers, and turns refusals into
 * {@link WavestoreProblemException} and unreachable stores into {@link StoreUnreachableException}.
 */
final class HttpTransport {

    private final String base;
    private final Credentials credentials;
    private final Http http;
    private final Materializer materializer;
    private final ClientSettings settings;

    HttpTransport(URI store, Credentials credentials, Http http, Materializer materializer, ClientSettings settings) {
        String s = store.toString();
        this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        this.credentials = credentials;
        this.http = http;
        this.materializer = materializer;
        this.settings = settings;
    }

    Http http() {
        return http;
    }

    Materializer materializer() {
        return materializer;
    }

    ClientSettings settings() {
        return settings;
    }

    /** A request to {@code path} on the store, carrying the credentials. */
    HttpRequest request(ApiPath path) {
        HttpRequest request = HttpRequest.create(base + path);
        if (credentials instanceof Credentials.Bearer b) {
            return request.addHeader(Authorization.oauth2(b.token()));
        }
        if (credentials instanceof Credentials.Development d) {
            HttpRequest r = d.user() == null ? request : request.addHeader(RawHeader.create("X-Dev-User", d.user()));
            return d.role() == null ? r : r.addHeader(RawHeader.create("X-Dev-Role", d.role()));
        }
        return request;
    }

    /** Sends and waits for the answer's head; the entity is left to the caller. */
    HttpResponse send(HttpRequest request) {
        return await(http.singleRequest(request), settings.requestTimeout());
    }

    /** Sends, reads the whole answer, and maps it to {@code type} (null type: the answer is not read). */
    <T> T call(HttpRequest request, JavaType type) {
        return read(send(request), type);
    }

    <T> T read(HttpResponse response, JavaType type) {
        HttpEntity.Strict entity = await(response.entity().toStrict(settings.requestTimeout().toMillis(), materializer),
                settings.requestTimeout());
        failIfRefused(response, entity);
        if (type == null) {
            return null;
        }
        try {
            return ClientJson.mapper().readValue(entity.getData().toArray(), type);
        } catch (IOException e) {
            throw new WavestoreException("the store's answer is not what this client understands: " + e.getMessage(), e);
        }
    }

    /** Throws the problem of an answer that is not a success; reads the entity to do so. */
    void failIfNotSuccess(HttpResponse response) {
        if (response.status().intValue() >= 400) {
            HttpEntity.Strict entity = await(
                    response.entity().toStrict(settings.requestTimeout().toMillis(), materializer), settings.requestTimeout());
            failIfRefused(response, entity);
        }
    }

    String text(HttpResponse response) {
        HttpEntity.Strict entity = await(response.entity().toStrict(settings.requestTimeout().toMillis(), materializer),
                settings.requestTimeout());
        failIfRefused(response, entity);
        return entity.getData().decodeString(StandardCharsets.UTF_8);
    }

    private static void failIfRefused(HttpResponse response, HttpEntity.Strict entity) {
        if (response.status().intValue() >= 400) {
            throw refusal(response, entity);
        }
    }

    /** The refusal an answer of status 400 or more stands for. */
    static WavestoreProblemException refusal(HttpResponse response, HttpEntity.Strict entity) {
        return new WavestoreProblemException(ProblemReader.read(response.status().intValue(), response.status().reason(),
                entity.getContentType().mediaType().toString(), entity.getData().toArray()));
    }

    /** Reads the whole answer without blocking (for use inside streams). */
    CompletionStage<HttpEntity.Strict> strict(HttpResponse response) {
        return response.entity().toStrict(settings.requestTimeout().toMillis(), materializer);
    }

    /** Waits for a step of a call, translating how it failed into the client's exceptions. */
    static <T> T await(CompletionStage<T> stage, Duration timeout) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WavestoreException("interrupted", e);
        } catch (TimeoutException e) {
            throw new StoreUnreachableException("the store did not answer within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
    }

    static RuntimeException translate(Throwable cause) {
        if (cause instanceof WavestoreException w) {
            return w;
        }
        if (cause instanceof JsonProcessingException j) {
            return new WavestoreException("could not write the request: " + j.getOriginalMessage(), j);
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        return new StoreUnreachableException("cannot reach the store: " + message, cause);
    }
}
