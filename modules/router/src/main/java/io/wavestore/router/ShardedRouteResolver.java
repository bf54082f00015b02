package io.wavestore.router;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.InstanceIds;
import io.wavestore.scheduler.InstanceView;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * Asks the instance's actor, wherever in the cluster it lives, for its live view, and the catalog (through the
 * scheduler's {@link AppLookup}) for what the router needs of the app version it runs: its routing mode and owner.
 * App versions are immutable, so their part is kept for good; the instance's part is fresh on every call.
 */
public final class ShardedRouteResolver implements RouteResolver {

    private static final int MAX_APPS = 10_000;

    private final ClusterSharding sharding;
    private final AppLookup apps;
    private final Duration timeout;
    private final Executor blocking;
    private final Map<String, AppFacts> appFacts = new ConcurrentHashMap<>();
    /** Routes read from the runtime while an actor does not answer; empty: off. */
    private final Optional<RuntimeFallback> fallback;

    /** What the router needs of one app version. */
    private record AppFacts(String ownerId, RoutingMode routingMode, AppMode appMode, Optional<String> entryRoute,
            boolean managed) {
    }

    public ShardedRouteResolver(ActorSystem<?> system, AppLookup apps, Duration timeout) {
        this(system, apps, timeout, Optional.empty(), Duration.ZERO);
    }

    /**
     * @param runtime       where instances run, read (never written) when an actor has not answered within
     *                      {@code fallbackAfter} ({@link RuntimeFallback}); empty or a zero duration: never read here
     */
    public ShardedRouteResolver(ActorSystem<?> system, AppLookup apps, Duration timeout, Optional<InstanceRuntime> runtime,
            Duration fallbackAfter) {
        this.sharding = ClusterSharding.get(system);
        this.apps = apps;
        this.timeout = timeout;
        this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(RouterSettings.BLOCKING_DISPATCHER));
        this.fallback = runtime.filter(r -> !fallbackAfter.isNegative() && !fallbackAfter.isZero() && fallbackAfter.compareTo(timeout) < 0)
                .map(r -> new RuntimeFallback(
                        CompletableFuture.delayedExecutor(fallbackAfter.toMillis(), TimeUnit.MILLISECONDS, blocking),
                        id -> fromRuntime(r, id)));
    }

    /** Anything but an instance id is not asked for: it would start an actor for nothing ({@link InstanceIds}). */
    public static boolean plausibleId(String id) {
        return InstanceIds.plausible(id);
    }

    @Override
    public CompletionStage<RouteTarget> resolve(String instanceId) {
        if (!plausibleId(instanceId)) {
            return CompletableFuture.completedFuture(RouteTarget.missing(instanceId));
        }
        CompletionStage<RouteTarget> fromActor = askActor(instanceId);
        return fallback.<CompletionStage<RouteTarget>>map(f -> f.resolve(instanceId, fromActor)).orElse(fromActor);
    }

    /** Read from the runtime, not told by the instance's actor (which did not answer in time). */
    @Override
    public boolean provisional(RouteTarget target) {
        return fallback.map(f -> f.provided(target)).orElse(false);
    }

    /** The instance as the runtime has it now (off the request threads), with its app's facts. */
    private CompletionStage<Optional<RouteTarget>> fromRuntime(InstanceRuntime runtime, String instanceId) {
        return CompletableFuture.supplyAsync(() -> runtimeView(runtime, instanceId), blocking)
                .thenCompose(view -> {
                    if (view.isEmpty()) {
                        return CompletableFuture.completedFuture(Optional.<RouteTarget>empty());
                    }
                    InstanceRecord record = view.get().record().orElseThrow();
                    return app(record).thenApply(app -> Optional.of(target(view.get(), record, app)));
                });
    }

    /** Blocking: the runtime's record and the workload's health, as the actor would read them; empty if none. */
    private static Optional<InstanceView> runtimeView(InstanceRuntime runtime, String instanceId) {
        return runtime.get(instanceId).map(record -> new InstanceView(instanceId, Optional.of(record),
                runtime.health(instanceId), Optional.empty(), Optional.empty(), Optional.empty()));
    }

    private CompletionStage<RouteTarget> askActor(String instanceId) {
        return Stages.direct(sharding.entityRefFor(InstanceActor.TYPE_KEY, instanceId)
                .<InstanceActor.Reply>ask(InstanceActor.Get::new, timeout))
                .thenCompose(reply -> {
                    InstanceView view = reply instanceof InstanceActor.Done done ? done.view()
                            : ((InstanceActor.Rejected) reply).view();
                    if (view.record().isEmpty()) {
                        return CompletableFuture.completedFuture(RouteTarget.missing(instanceId));
                    }
                    InstanceRecord record = view.record().get();
                    return app(record).thenApply(app -> target(view, record, app));
                });
    }

    @Override
    public CompletionStage<RouteTarget> resolveFresh(String instanceId) {
        return resolve(instanceId);
    }

    /** The instance's actor resumes it once, however many replicas ask at once (the others find it resumed). */
    @Override
    public CompletionStage<Boolean> wake(String instanceId, String visitorId, boolean onlyTheNewest) {
        // A resume waits for the runtime (a Helm upgrade): longer than a route's question.
        return Stages.direct(sharding.entityRefFor(InstanceActor.TYPE_KEY, instanceId)
                .<InstanceActor.Reply>ask(replyTo -> new InstanceActor.Wake(visitorId, onlyTheNewest, replyTo), timeout.multipliedBy(10)))
                .thenApply(reply -> reply instanceof InstanceActor.Done);
    }

    private CompletionStage<AppFacts> app(InstanceRecord record) {
        String key = record.appName() + "\u0000" + record.appVersion();
        AppFacts known = appFacts.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return CompletableFuture.supplyAsync(() -> apps.find(record.appName(), record.appVersion()), blocking)
                .thenApply(found -> {
                    if (found.isEmpty()) {
                        // The version is gone (the instance is about to be removed): route it as the defaults say.
                        return new AppFacts("", RoutingMode.BASE_URL, AppMode.WAVE, Optional.empty(), false);
                    }
                    AppLookup.AppRuntime app = found.get();
                    AppFacts facts = new AppFacts(app.appOwnerId(), app.runtime().routingMode(), app.runtime().appMode(),
                            app.runtime().entryRoute(), app.lifecycle() == io.wavestore.bundle.InstanceLifecycle.MANAGED);
                    if (appFacts.size() >= MAX_APPS) {
                        appFacts.clear();
                    }
                    appFacts.put(key, facts);
                    return facts;
                });
    }

    private static RouteTarget target(InstanceView view, InstanceRecord record, AppFacts app) {
        InstanceHealth health = view.health();
        Optional<String> problem = health.reason()
                .map(reason -> reason + health.message().map(m -> ": " + m).orElse(""))
                .or(view::lastError);
        return new RouteTarget(record.instanceId(), true, health.address(), health.ready(), health.phase(),
                record.suspended(), new InstanceAccess.InstanceFacts(record.ownerId(), record.visibility(), app.ownerId()),
                app.routingMode(), app.appMode(), record.appName() + " " + record.appVersion(), view.progress(),
                view.operation(), problem, app.entryRoute(), app.managed());
    }
}
