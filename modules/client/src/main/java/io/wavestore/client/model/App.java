package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/** One app version of the catalog; {@code manifest} is its validated app.toml as the store shows it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record App(String id, String name, String version, String title, String description, String longDescription,
        String owner, Visibility visibility, String lifecycle, List<String> tags, Instant createdAt, String url,
        String iconUrl, List<Image> screenshots, Bundle bundle, JsonNode manifest) {

    public App {
        tags = tags == null ? List.of() : List.copyOf(tags);
        screenshots = screenshots == null ? List.of() : List.copyOf(screenshots);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(String url, String mediaType, int width, int height, long size) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Bundle(String url, String sha256, long size) {
    }
}
