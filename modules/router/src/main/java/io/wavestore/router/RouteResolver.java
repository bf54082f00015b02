package io.wavestore.router;

import java.util.concurrent.CompletionStage;

/**
 * Where an instance is and who may open it. The store's resolver asks the instance's sharded actor and caches the
 * answer per node ({@link RouteCache} over {@link ShardedRouteResolver}); tests may hand the routes any other.
 */
public interface RouteResolver {

    /** The instance's route, from the cache when it has one; a missing instance answers {@link RouteTarget#missing}. */
    CompletionStage<RouteTarget> resolve(String instanceId);

    /** Asks again, bypassing (and refreshing) any cached answer: after a failed connection, or to render progress. */
    CompletionStage<RouteTarget> resolveFresh(String instanceId);

    /**
     * The target was not told by the instance's actor but read elsewhere while the actor did not answer (a replica
     * died and the actor is being re-homed, {@link RuntimeFallback}): it may be served, and is asked again when next
     * used, until the actor answers.
     */
    default boolean provisional(RouteTarget target) {
        return false;
    }

    /**
     * Resumes a suspended instance for a visit by {@code visitorId} (the caller checked they may): completes when the
     * resume is done or was done already (true), or the instance is gone or may not be woken by this visit (false).
     *
     * @param onlyTheNewest the visitor may wake it only because its app is MANAGED: only the app's newest instance wakes
     */
    default CompletionStage<Boolean> wake(String instanceId, String visitorId, boolean onlyTheNewest) {
        return java.util.concurrent.CompletableFuture.failedFuture(
                new UnsupportedOperationException("these routes cannot wake instances"));
    }
}
