package io.wavestore.server.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem detail: what every error at the API answers, as {@code application/problem+json}.
 * {@code type} is stable per kind of error ({@code urn:wavestore:problem:<code>}); {@code field} names the input
 * that was wrong; {@code errors} lists every field violation when there are several (an invalid app.toml).
 * It lives with the store's API; the router's data plane answers its own errors as HTML pages and needs none of it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, String field,
        List<FieldError> errors) {

    public static final String TYPE_PREFIX = "urn:wavestore:problem:";

    public record FieldError(String field, String message) {
    }

    public static Problem of(String code, String title, int status, String detail, String field) {
        return new Problem(TYPE_PREFIX + code, title, status, detail, null, field, List.of());
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, field, errors);
    }

    public Problem withErrors(List<FieldError> fieldErrors) {
        return new Problem(type, title, status, detail, instance, field, List.copyOf(fieldErrors));
    }
}
