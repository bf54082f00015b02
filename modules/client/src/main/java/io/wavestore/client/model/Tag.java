package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;

/** A catalog tag; {@code visitorRoles} are the visitor roles that may see apps carrying it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Tag(String name, String title, String color, String description, List<String> visitorRoles,
        Instant createdAt, String url) {

    public Tag {
        visitorRoles = visitorRoles == null ? List.of() : List.copyOf(visitorRoles);
    }
}
