package io.wavestore.identity;

import java.util.Objects;
import java.util.Set;

/**
 * Who is making a request: the answer of a {@link CallerResolver}.
 *
 * @param id          stable user id (the token's subject); empty for anonymous callers
 * @param name        display name
 * @param role        the caller's kind of access
 * @param claimRoles  role names from the caller's token, matched against tags' visitor roles
 * @param groups      the caller's groups
 * @param development true when the identity comes from the development identity (never for real use)
 */
public record Caller(String id, String name, Role role, Set<String> claimRoles, Set<String> groups, boolean development) {

    public Caller {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        claimRoles = Set.copyOf(claimRoles);
        groups = Set.copyOf(groups);
        if (id.isEmpty() != (role == Role.ANONYMOUS)) {
            throw new IllegalArgumentException("anonymous callers, and only they, have an empty id");
        }
    }

    public static Caller anonymous() {
        return new Caller("", "anonymous", Role.ANONYMOUS, Set.of(), Set.of(), false);
    }

    public boolean signedIn() {
        return role != Role.ANONYMOUS;
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean is(String userId) {
        return signedIn() && id.equals(userId);
    }
}
