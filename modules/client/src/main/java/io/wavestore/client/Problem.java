package io.wavestore.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An RFC 9457 problem as the store answers it: a stable {@code type} ({@code urn:wavestore:problem:<code>}), a
 * {@code detail} for people, the {@code field} that was wrong, or {@code errors}, one per field of an invalid app.toml.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Problem(String type, String title, int status, String detail, String field, List<FieldError> errors) {

    static final String PREFIX = "urn:wavestore:problem:";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** The short code of the type ({@code invalid-manifest} for {@code urn:wavestore:problem:invalid-manifest}). */
    public String code() {
        return type != null && type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : type;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FieldError(String field, String message) {
    }
}
