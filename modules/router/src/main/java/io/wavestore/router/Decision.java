package io.wavestore.router;

import io.wavestore.identity.Caller;
import io.wavestore.router.alias.AliasDirectory;

/**
 * What the router does with a request to an instance ({@link RouteDecisions}). Each server renders it its own way;
 * the data plane relays {@link Proxy} itself and hands everything else to the store's pekko-http routes.
 */
public sealed interface Decision {

    /** No such instance or alias, or none the caller may know of. */
    record NotFound(String name, String detail) implements Decision {
    }

    /** Elsewhere: the other routing mode (307), the primary alias (302), the store for this origin's pass (302). */
    record Redirect(int status, String location) implements Decision {
    }

    /** The caller may not open it: sign in, or not theirs. */
    record Refused(Caller caller, RouteTarget target) implements Decision {
    }

    /** A WebSocket from another site's page (cross-site WebSocket hijacking). */
    record CrossSiteWebSocket() implements Decision {
    }

    /** Starting, or suspended: the router's own page. */
    record NotRunning(Caller caller, RouteTarget target) implements Decision {
    }

    /** Relay it to the instance. */
    record Proxy(Caller caller, RouteTarget target, AliasDirectory.Snapshot aliases) implements Decision {
    }
}
