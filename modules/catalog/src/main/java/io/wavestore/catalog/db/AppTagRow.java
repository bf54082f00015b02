package io.wavestore.catalog.db;

import java.util.UUID;

/** A tag on an app, with the tag's visitor roles (what the access rules need). */
public record AppTagRow(UUID appId, String tagName, String[] visitorRoles) {
}
