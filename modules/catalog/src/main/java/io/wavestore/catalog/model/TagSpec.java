package io.wavestore.catalog.model;

import java.util.Optional;
import java.util.Set;

/** What a caller sends to create a tag (all fields) or change one (only the present fields). */
public record TagSpec(
        Optional<String> title, Optional<String> color, Optional<String> description, Optional<Set<String>> visitorRoles) {
}
