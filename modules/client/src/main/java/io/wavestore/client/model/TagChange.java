package io.wavestore.client.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** The body of creating (name required) or changing a tag (null fields stay as they are). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TagChange(String name, String title, String color, String description, List<String> visitorRoles) {
}
