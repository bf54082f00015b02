package io.wavestore.identity;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a caller may do: the one place every part of the store asks, for the catalog, the scheduler and the router
 * alike. Every rule is a pure function of the caller and the facts of the thing asked about, so it is cheap to ask
 * on every request and easy to test exhaustively.
 *
 * <p><b>Apps</b> (the catalog's SQL filter in AppListing implements {@link #canSeeApp} for listings):
 * <ul>
 *   <li>PRIVATE: only the owner and admins.</li>
 *   <li>ALL_USERS: full users and admins; visitors only when one of the app's tags lists one of the visitor's
 *       claim roles among its visitor roles.</li>
 *   <li>PUBLIC: anyone, signed in or not.</li>
 * </ul>
 *
 * <p><b>Instances</b>: see {@link InstanceAccess}, whose rules {@link #may} answers. Owners do everything (visitors
 * never read logs); app owners see status and logs, not the UI; admins manage all but never open another user's
 * PRIVATE UI; visitors see only their own; anyone opens PUBLIC instances.
 *
 * <p>{@link CatalogAccess} keeps the catalog's older names for the app rules and delegates here.
 */
public final class Authorizer {

    private Authorizer() {
    }

    /** The facts of one app version that the catalog rules need. */
    public record AppFacts(String ownerId, Visibility visibility, Collection<Set<String>> tagVisitorRoles) {
        public AppFacts {
            Objects.requireNonNull(ownerId, "ownerId");
            Objects.requireNonNull(visibility, "visibility");
            tagVisitorRoles = tagVisitorRoles == null ? List.of() : tagVisitorRoles;
        }
    }

    // ---- apps

    public static boolean canSeeApp(Caller caller, AppFacts app) {
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

    /** Change visibility, tags, or delete an app version: the owner and admins. */
    public static boolean canManageApp(Caller caller, String ownerId) {
        return caller.isAdmin() || caller.is(ownerId);
    }

    /** Upload new apps: signed-in full users and admins; visitors and anonymous callers never. */
    public static boolean canUploadApps(Caller caller) {
        return caller.role() == Role.FULL_USER || caller.role() == Role.ADMIN;
    }

    /** Create, change and delete tags: admins only. */
    public static boolean canAdministerTags(Caller caller) {
        return caller.isAdmin();
    }

    // ---- instances

    /** Start an instance of an app, for oneself: whoever is signed in and may see the app. */
    public static boolean canStartInstanceOf(Caller caller, AppFacts app) {
        return caller.signedIn() && canSeeApp(caller, app);
    }

    /** May the caller do this with the instance? The rules are {@link InstanceAccess}'s. */
    public static boolean may(Caller caller, InstanceAccess.Action action, InstanceAccess.InstanceFacts instance) {
        return InstanceAccess.allows(caller, action, instance);
    }

    // ---- the store itself

    /** Personal API tokens: any signed-in user, for themselves. */
    public static boolean canHaveApiTokens(Caller caller) {
        return caller.signedIn();
    }
}
