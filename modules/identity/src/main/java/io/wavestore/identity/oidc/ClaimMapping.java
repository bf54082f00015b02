package io.wavestore.identity.oidc;

import io.wavestore.identity.AuthenticationException;
import io.wavestore.identity.Caller;
import io.wavestore.identity.Role;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a token's claims into a {@link Caller}: the subject is the user id; roles and groups come from
 * configurable claims, which may be nested ({@code realm_access.roles}) and may hold a list or one string of
 * names separated by spaces or commas. A caller with one of the admin roles is an admin, else one with a
 * visitor role is a visitor, else a full user.
 */
public record ClaimMapping(String rolesClaim, String groupsClaim, Set<String> adminRoles, Set<String> visitorRoles) {

    public ClaimMapping {
        adminRoles = Set.copyOf(adminRoles);
        visitorRoles = Set.copyOf(visitorRoles);
    }

    public Caller caller(Map<String, Object> claims) throws AuthenticationException {
        Object subject = claims.get("sub");
        if (!(subject instanceof String sub) || sub.isBlank()) {
            throw new AuthenticationException("the token has no subject (sub claim)");
        }
        Set<String> roles = names(rolesClaim, claims);
        Set<String> groups = names(groupsClaim, claims);
        Role role = roles.stream().anyMatch(adminRoles::contains) ? Role.ADMIN
                : roles.stream().anyMatch(visitorRoles::contains) ? Role.VISITOR
                : Role.FULL_USER;
        return new Caller(sub, displayName(claims, sub), role, roles, groups, false);
    }

    private static String displayName(Map<String, Object> claims, String subject) {
        for (String claim : List.of("name", "preferred_username", "email")) {
            if (claims.get(claim) instanceof String value && !value.isBlank()) {
                return value;
            }
        }
        return subject;
    }

    /** The names at a dotted claim path: a list of strings, or one string of names. Missing: none. */
    static Set<String> names(String path, Map<String, Object> claims) {
        Object value = claims;
        if (path == null || path.isBlank()) {
            return Set.of();
        }
        // A claim whose own name has dots (a URL-namespaced claim, as Auth0 uses) wins over a nested path.
        if (claims.containsKey(path)) {
            value = claims.get(path);
        } else {
            for (String part : path.split("\\.")) {
                value = value instanceof Map<?, ?> map ? map.get(part) : null;
            }
        }
        Set<String> names = new LinkedHashSet<>();
        if (value instanceof String text) {
            for (String name : text.split("[,\\s]+")) {
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        } else if (value instanceof Collection<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isBlank())
                    .forEach(names::add);
        }
        return names;
    }
}
