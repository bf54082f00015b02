package io.wavestore.identity;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The embedded default's identity: NOT SAFE FOR REAL USE. Every request is the configured development
 * user unless it names another one with {@code X-Dev-User} (and optionally {@code X-Dev-Role},
 * {@code X-Dev-Roles}, {@code X-Dev-Groups}). There is no password: anybody who reaches the port is
 * whoever they say. {@code X-Dev-User: anonymous} acts as a caller who is not signed in.
 */
public final class DevelopmentIdentity implements CallerResolver {

    public static final String USER_HEADER = "x-dev-user";
    public static final String ROLE_HEADER = "x-dev-role";
    public static final String ROLES_HEADER = "x-dev-roles";
    public static final String GROUPS_HEADER = "x-dev-groups";

    private static final Role FULL_USER_UNLESS_SAID = Role.FULL_USER;
    private static final String LIST_ITEM = "[A-Za-z0-9._@:/-]{1,128}";
    private static final int MAX_LIST_ITEMS = 100;

    private final Caller defaultCaller;

    public DevelopmentIdentity(String defaultUser, Role defaultRole) {
        this.defaultCaller = caller(defaultUser, defaultRole, Set.of(), Set.of());
    }

    @Override
    public Authentication authenticate(RequestCredentials credentials) throws AuthenticationException {
        return Authentication.of(resolve(credentials), Authentication.Method.DEVELOPMENT);
    }

    @Override
    public Caller resolve(RequestCredentials credentials) throws AuthenticationException {
        Optional<String> user = credentials.header(USER_HEADER).map(String::trim);
        if (user.isEmpty()) {
            return defaultCaller;
        }
        if (user.get().equalsIgnoreCase("anonymous")) {
            return Caller.anonymous();
        }
        if (!user.get().matches("[A-Za-z0-9._@-]{1,128}")) {
            throw new AuthenticationException("X-Dev-User must be 1-128 letters, digits or ._@- characters", "X-Dev-User");
        }
        Role role = FULL_USER_UNLESS_SAID;
        Optional<String> roleHeader = credentials.header(ROLE_HEADER);
        if (roleHeader.isPresent()) {
            try {
                role = parseRole(roleHeader.get());
            } catch (IllegalArgumentException e) {
                throw new AuthenticationException("X-Dev-Role: " + e.getMessage(), "X-Dev-Role");
            }
        }
        if (role == Role.ANONYMOUS) {
            throw new AuthenticationException("X-Dev-Role cannot be anonymous; send X-Dev-User: anonymous instead",
                    "X-Dev-Role");
        }
        return caller(user.get(), role, list(credentials.header(ROLES_HEADER), "X-Dev-Roles"),
                list(credentials.header(GROUPS_HEADER), "X-Dev-Groups"));
    }

    @Override
    public boolean isDevelopment() {
        return true;
    }

    public Caller defaultCaller() {
        return defaultCaller;
    }

    /**
     * Parses {@code admin}, {@code full-user} (or {@code full_user}, {@code user}), {@code visitor}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Role parseRole(String text) {
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        if (normalized.equals("USER")) {
            return Role.FULL_USER;
        }
        try {
            return Role.valueOf(normalized);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + text + "': use admin, full-user or visitor", e);
        }
    }

    private static Caller caller(String user, Role role, Set<String> roles, Set<String> groups) {
        return new Caller(user, user, role, roles, groups, true);
    }

    /** A comma-separated list of names, each as a user name may be (roles and groups are compared as text). */
    private static Set<String> list(Optional<String> header, String name) throws AuthenticationException {
        if (header.isEmpty()) {
            return Set.of();
        }
        Set<String> items = Arrays.stream(header.get().split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (items.size() > MAX_LIST_ITEMS || !items.stream().allMatch(item -> item.matches(LIST_ITEM))) {
            throw new AuthenticationException(name + " must be at most " + MAX_LIST_ITEMS + " comma-separated names of"
                    + " 1-128 letters, digits or ._@:/- characters", name);
        }
        return items;
    }
}
