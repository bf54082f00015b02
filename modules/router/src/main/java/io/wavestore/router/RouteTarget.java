package io.wavestore.router;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.EntryRoutes;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.LaunchProgress;
import io.wavestore.scheduler.runtime.InstanceHealth;
import java.util.Objects;
import java.util.Optional;

/**
 * What the router needs to know of one instance to authorise a request and send it on: where it listens, whether
 * it can take traffic, who may open it, and how it is routed. Built from the instance actor's live view and the
 * app version it runs.
 *
 * @param instanceId  the instance
 * @param exists      false when there is no such instance (every other field is then a placeholder)
 * @param address     {@code host:port} of the Wave server, once known
 * @param ready       the instance passes its readiness check
 * @param phase       where its workload is
 * @param suspended   scaled to zero by its owner or an admin
 * @param facts       owner, visibility and app owner, for the access rules
 * @param routingMode how the app wants to be reached
 * @param appMode     a Wave app or a plain Python web app
 * @param appTitle    "name version", for pages
 * @param progress    what the launcher last reported of the current start
 * @param operation   a lifecycle change in progress
 * @param problem     why it is not running (runtime reason or the last failed change), for those who may see status
 * @param entryRoute  the route app.toml names for browsers to open ({@code Runtime.EntryRoute})
 * @param managed     its app is MANAGED: anyone who may open it wakes it when it is suspended
 */
public record RouteTarget(
        String instanceId,
        boolean exists,
        Optional<String> address,
        boolean ready,
        InstanceHealth.Phase phase,
        boolean suspended,
        InstanceAccess.InstanceFacts facts,
        RoutingMode routingMode,
        AppMode appMode,
        String appTitle,
        Optional<LaunchProgress> progress,
        Optional<String> operation,
        Optional<String> problem,
        Optional<String> entryRoute,
        boolean managed) {

    public RouteTarget {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(facts, "facts");
        entryRoute = entryRoute == null ? Optional.empty() : entryRoute;
    }

    /** An app that names no entry route: browsers land on the first route it registers. */
    public RouteTarget(String instanceId, boolean exists, Optional<String> address, boolean ready,
            InstanceHealth.Phase phase, boolean suspended, InstanceAccess.InstanceFacts facts, RoutingMode routingMode,
            AppMode appMode, String appTitle, Optional<LaunchProgress> progress, Optional<String> operation,
            Optional<String> problem) {
        this(instanceId, exists, address, ready, phase, suspended, facts, routingMode, appMode, appTitle, progress,
                operation, problem, Optional.empty(), false);
    }

    /** An instance of an app that is not MANAGED. */
    public RouteTarget(String instanceId, boolean exists, Optional<String> address, boolean ready,
            InstanceHealth.Phase phase, boolean suspended, InstanceAccess.InstanceFacts facts, RoutingMode routingMode,
            AppMode appMode, String appTitle, Optional<LaunchProgress> progress, Optional<String> operation,
            Optional<String> problem, Optional<String> entryRoute) {
        this(instanceId, exists, address, ready, phase, suspended, facts, routingMode, appMode, appTitle, progress,
                operation, problem, entryRoute, false);
    }

    /**
     * Where a browser that opens the instance's root is sent, relative to the app's base URL ({@code /demo}): the
     * declared entry route, else the first route the app registered; empty when the app is at the root.
     */
    public Optional<String> landing() {
        return EntryRoutes.landing(entryRoute, progress.map(LaunchProgress::routes).orElse(java.util.List.of()));
    }

    public static RouteTarget missing(String instanceId) {
        return new RouteTarget(instanceId, false, Optional.empty(), false, InstanceHealth.Phase.STOPPED, false,
                new InstanceAccess.InstanceFacts("", Visibility.PRIVATE, ""), RoutingMode.BASE_URL, AppMode.WAVE, "",
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Traffic can go to it now. */
    public boolean routable() {
        return exists && !suspended && ready && address.isPresent();
    }
}
