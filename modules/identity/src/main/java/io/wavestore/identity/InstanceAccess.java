package io.wavestore.identity;

/**
 * The instance rules, in one place, for the scheduler's API and the router.
 *
 * <ul>
 *   <li>The owner of an instance may do everything with it (a visitor owner: everything but logs).</li>
 *   <li>The owner of the instance's app sees its status and logs, not its UI (unless its visibility lets anyone).</li>
 *   <li>Admins see and manage every instance, but cannot open the UI of another user's PRIVATE instance.</li>
 *   <li>Visitors see only their own instances, never logs; like anyone, they may open PUBLIC instances.</li>
 *   <li>Other signed-in users may open ALL_USERS and PUBLIC instances; anonymous callers only PUBLIC ones.</li>
 * </ul>
 */
public final class InstanceAccess {

    private InstanceAccess() {
    }

    public enum Action {
        /** Phase, readiness, reason, events. */
        VIEW_STATUS,
        /** The instance's log. */
        VIEW_LOGS,
        /** Use the app in the browser, through the router. */
        OPEN_UI,
        /** Suspend, resume, update to another version, change visibility. */
        MANAGE,
        /** Remove it and its volumes. */
        TERMINATE
    }

    /** The facts of one instance that the rules need. */
    public record InstanceFacts(String ownerId, Visibility visibility, String appOwnerId) {
    }

    public static boolean allows(Caller caller, Action action, InstanceFacts instance) {
        boolean owner = caller.is(instance.ownerId());
        boolean visitor = caller.role() == Role.VISITOR;
        if (owner) {
            return !(visitor && action == Action.VIEW_LOGS);
        }
        return switch (action) {
            case OPEN_UI -> mayOpen(caller, instance.visibility());
            case VIEW_STATUS -> caller.isAdmin() || (!visitor && caller.is(instance.appOwnerId()));
            case VIEW_LOGS -> caller.isAdmin() || (!visitor && caller.is(instance.appOwnerId()));
            case MANAGE, TERMINATE -> caller.isAdmin();
        };
    }

    private static boolean mayOpen(Caller caller, Visibility visibility) {
        return switch (visibility) {
            case PUBLIC -> true;
            case ALL_USERS -> caller.role() == Role.FULL_USER || caller.role() == Role.ADMIN;
            case PRIVATE -> false;
        };
    }
}
