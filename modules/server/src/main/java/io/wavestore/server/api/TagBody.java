package io.wavestore.server.api;

import java.util.List;

/** The body of creating ({@code POST /api/v1/tags}, name required) or changing ({@code PATCH}) a tag. */
public record TagBody(String name, String title, String color, String description, List<String> visitorRoles) {
}
