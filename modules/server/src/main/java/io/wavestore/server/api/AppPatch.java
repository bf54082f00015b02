package io.wavestore.server.api;

import java.util.List;

/** The body of {@code PATCH /api/v1/apps/{name}/{version}}: fields left out stay as they are. */
public record AppPatch(String visibility, List<String> tags) {
}
