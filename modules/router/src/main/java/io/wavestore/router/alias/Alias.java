package io.wavestore.router.alias;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A stable name for an instance, made by an admin: {@code /instance/<name>/} or {@code <name>.<apps-domain>}. It may
 * point at no instance (just made, or its instance was moved away); the instance's primary alias is the URL that the
 * instance id and every other alias of it redirect browsers to.
 *
 * @param instanceId the instance it points to, if any
 * @param primary    it is its instance's primary alias
 * @param createdBy  the admin who made it
 */
public record Alias(String name, Optional<String> instanceId, boolean primary, String createdBy, Instant createdAt,
        Instant updatedAt) {

    /** A DNS label (it names a host under the apps domain), and never an instance id's shape (ids start with i-). */
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public Alias {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Why {@code name} cannot be an alias, or empty when it can. */
    public static Optional<String> invalidName(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("name is required");
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of("an alias is 1 to 63 lower-case letters, digits and inner hyphens (it names a host),"
                    + " not '" + name + "'");
        }
        if (name.startsWith("i-")) {
            return Optional.of("aliases may not start with 'i-': that is how instance ids look");
        }
        return Optional.empty();
    }
}
