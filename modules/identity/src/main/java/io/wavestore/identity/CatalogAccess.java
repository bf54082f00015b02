package io.wavestore.identity;

import java.util.Collection;
import java.util.Set;

/**
 * The catalog's access rules as the catalog asks them. The rules themselves live in {@link Authorizer}, the one
 * place for every access rule; this class keeps the catalog's names for them. The catalog's SQL filter
 * implements the same rule for listing (see the catalog's AppListing); a test keeps the two in agreement.
 */
public final class CatalogAccess {

    private CatalogAccess() {
    }

    /** The facts of one app version that the rules need. */
    public record AppFacts(String ownerId, Visibility visibility, Collection<Set<String>> tagVisitorRoles) {
        Authorizer.AppFacts toAuthorizer() {
            return new Authorizer.AppFacts(ownerId, visibility, tagVisitorRoles);
        }
    }

    /** See {@link Authorizer#canSeeApp}. */
    public static boolean canSee(Caller caller, AppFacts app) {
        return Authorizer.canSeeApp(caller, app.toAuthorizer());
    }

    /** See {@link Authorizer#canManageApp}. */
    public static boolean canManage(Caller caller, String ownerId) {
        return Authorizer.canManageApp(caller, ownerId);
    }

    /** See {@link Authorizer#canUploadApps}. */
    public static boolean canUpload(Caller caller) {
        return Authorizer.canUploadApps(caller);
    }

    /** See {@link Authorizer#canAdministerTags}. */
    public static boolean canAdministerTags(Caller caller) {
        return Authorizer.canAdministerTags(caller);
    }
}
