package io.wavestore.server.api;

import io.wavestore.catalog.model.Tag;
import java.time.Instant;
import java.util.List;

/** A tag as the API shows it. */
public record TagView(String name, String title, String color, String description, List<String> visitorRoles,
        Instant createdAt, String url) {

    public static TagView of(Tag tag) {
        return new TagView(tag.name(), tag.title(), tag.color(), tag.description(),
                tag.visitorRoles().stream().sorted().toList(), tag.createdAt(), ApiPaths.tag(tag.name()));
    }
}
