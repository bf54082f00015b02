package io.wavestore.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wavestore.bundle.AppManifest;

/** The manifest as stored in {@code apps.manifest} and shown at the API. */
public final class ManifestJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            // Manifests written by an older store may lack newer fields; they take their defaults.
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ManifestJson() {
    }

    public static AppManifest read(String json) {
        try {
            return MAPPER.readValue(json, AppManifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored manifest cannot be read back: " + e.getOriginalMessage(), e);
        }
    }

    public static String write(AppManifest manifest) {
        try {
            return MAPPER.writeValueAsString(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest cannot be written as JSON", e);
        }
    }
}
