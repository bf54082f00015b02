package io.wavestore.catalog.model;

import io.wavestore.identity.Visibility;
import java.util.Optional;
import java.util.Set;

/** The mutable settings of an app version; absent fields stay as they are. {@code tags} replaces the set. */
public record AppUpdate(Optional<Visibility> visibility, Optional<Set<String>> tags) {
}
