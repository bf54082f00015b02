package io.wavestore.identity;

import java.util.Collection;
import java.util.Set;

/**
 * The catalog's access rules, in one place. The catalog's SQL filter implements the same rule for listing
 * (see the catalog's AppQuery); a test keeps the two in agreement.
 *
 * <ul>
 *   <li>PRIVATE apps: only their owner and admins.</li>
 *   <li>ALL_USERS apps: full users and admins; visitors only when one of the app's tags lists one of the
 *       visitor's claim roles among its visitor roles.</li>
 *   <li>PUBLIC apps: anyone, signed in or not.</li>
 * </ul>
 */
public final class CatalogAccess {

    private CatalogAccess() {
    }

    /** The facts of one app version that the rules need. */
    public record AppFacts(String ownerId, Visibility visibility, Collection<Set<String>> tagVisitorRoles) {
    }

    public static boolean canSee(Caller caller, AppFacts app) {
        if (caller.isAdmin() || caller.is(app.ownerId())) {
            return true;
        }
        return switch (app.visibility()) {
            case PUBLIC -> true;
            case PRIVATE -> false;
            case ALL_USERS -> switch (caller.role()) {
                case ANONYMOUS -> false;
                case FULL_USER, ADMIN -> true;
                case VISITOR -> app.tagVisitorRoles().stream()
                        .anyMatch(roles -> roles.stream().anyMatch(caller.claimRoles()::contains));
            };
        };
    }

    /** Change visibility, tags, or delete: the owner and admins. */
    public static boolean canManage(Caller caller, String ownerId) {
        return caller.isAdmin() || caller.is(ownerId);
    }

    /** Upload new apps: signed-in full users and admins; visitors and anonymous callers never. */
    public static boolean canUpload(Caller caller) {
        return caller.role() == Role.FULL_USER || caller.role() == Role.ADMIN;
    }

    /** Create, change and delete tags: admins only. */
    public static boolean canAdministerTags(Caller caller) {
        return caller.isAdmin();
    }
}
