package io.wavestore.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.wavestore.identity.AppPasses;
import io.wavestore.identity.CallerResolver;
import io.wavestore.router.alias.AliasChanges;
import io.wavestore.router.alias.AliasDirectory;
import io.wavestore.router.alias.AliasLookup;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.scheduler.InstanceChanges;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router of one replica, wired: route resolution through the instance actors with this node's cache (kept honest
 * by the instance actors' topic), the alias directory and the proxy routes. The server mounts {@link #routes(Route)}
 * around its own routes (the alias API among them, which tells the router of changes with {@link #aliasChanged}).
 */
public final class Router {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final RouterSettings settings;
    private final ProxyRoutes proxy;
    private final RouteCache cache;
    private final AliasDirectory aliases;
    private final ActorRef<Topic.Command<AliasChanges.AliasesChanged>> aliasChanges;
    private final StoreCaller callers;
    private final RouteDecisions decisions;
    private final ProxyMetrics metrics;
    private final FrontPeer frontPeer = new FrontPeer();
    private final InstanceUseTable uses;

    private Router(RouterSettings settings, ProxyRoutes proxy, RouteCache cache, AliasDirectory aliases,
            ActorRef<Topic.Command<AliasChanges.AliasesChanged>> aliasChanges, StoreCaller callers,
            RouteDecisions decisions, ProxyMetrics metrics, InstanceUseTable uses) {
        this.settings = settings;
        this.uses = uses;
        this.proxy = proxy;
        this.cache = cache;
        this.aliases = aliases;
        this.aliasChanges = aliasChanges;
        this.callers = callers;
        this.decisions = decisions;
        this.metrics = metrics;
    }

    /**
     * Starts the router on this node. Needs instance sharding ({@code InstanceActor.init}) and the instance-changes
     * topic of this node ({@code InstanceChanges.init}) to be started already.
     *
     * @param aliases every alias there is (the store wires its alias table)
     */
    public static Router start(ActorSystem<?> system, RouterSettings settings, CallerResolver identity,
            AppPasses passes, AppLookup apps,
            ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes, AliasLookup aliases) {
        return start(system, settings, identity, passes, apps, changes, aliases, ProxyMetrics.NONE);
    }

    /** Reporting its traffic to instances to {@code metrics}. */
    public static Router start(ActorSystem<?> system, RouterSettings settings, CallerResolver identity,
            AppPasses passes, AppLookup apps,
            ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes, AliasLookup aliases, ProxyMetrics metrics) {
        return start(system, settings, identity, passes,
                new ShardedRouteResolver(system, apps, settings.resolveTimeout()), changes, aliases, metrics);
    }

    /**
     * Reading a route from {@code runtime} when an instance's actor does not answer within
     * {@code wavestore.router.runtime-fallback-after} (a replica died and its actors are being re-homed).
     */
    public static Router start(ActorSystem<?> system, RouterSettings settings, CallerResolver identity,
            AppPasses passes, AppLookup apps, InstanceRuntime runtime,
            ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes, AliasLookup aliases, ProxyMetrics metrics) {
        java.time.Duration fallbackAfter = system.settings().config().getDuration("wavestore.router.runtime-fallback-after");
        return start(system, settings, identity, passes, new ShardedRouteResolver(system, apps, settings.resolveTimeout(),
                java.util.Optional.of(runtime), fallbackAfter), changes, aliases, metrics);
    }

    /** With another source of routes (tests). */
    public static Router start(ActorSystem<?> system, RouterSettings settings, CallerResolver identity,
            AppPasses passes, RouteResolver source,
            ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes, AliasLookup aliases) {
        return start(system, settings, identity, passes, source, changes, aliases, ProxyMetrics.NONE);
    }

    private static Router start(ActorSystem<?> system, RouterSettings settings, CallerResolver identity, AppPasses passes,
            RouteResolver source, ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes,
            AliasLookup aliases, ProxyMetrics metrics) {
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(RouterSettings.BLOCKING_DISPATCHER));
        IdleSettings idle = IdleSettings.from(system.settings().config().getConfig("wavestore.router.idle"));
        RouteCache cache = new RouteCache(source, settings.cacheTtl(), settings.cacheMaxEntries());
        system.systemActorOf(RouteCacheInvalidator.create(cache, changes), "route-cache-invalidator", Props.empty());
        AliasDirectory directory = new AliasDirectory(aliases::all, blocking);
        ActorRef<Topic.Command<AliasChanges.AliasesChanged>> aliasChanges =
                AliasChanges.init(system, directory, settings.aliasRefreshInterval());
        StoreCaller callers = new StoreCaller(identity, passes, blocking, settings.storeHeaders(), settings.callerCacheTtl());
        // Close the pools to instances before the actor system goes, instead of letting them die with it.
        org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                org.apache.pekko.actor.CoordinatedShutdown.PhaseServiceStop(), "router-connection-pools",
                () -> org.apache.pekko.http.javadsl.Http.get(system).shutdownAllConnectionPools()
                        .thenApply(done -> org.apache.pekko.Done.getInstance()));
        InstanceUseTable uses = new InstanceUseTable();
        ProxyRoutes proxy = new ProxyRoutes(settings, cache, directory, callers, new Upstream(system, settings, metrics),
                passes, jsonMapper(), uses, idle);
        LOG.info("router: apps at {}/instance/<id>/ and {}/, apart from the store at {}", settings.appsOrigin(),
                settings.domainOrigin("<id>"), settings.storeOrigin());
        RouteDecisions decisions = new RouteDecisions(settings, cache, directory, callers, passes);
        if (source instanceof ShardedRouteResolver) {
            // Only instance actors take the reports (tests with routes of their own have none).
            Cancellable reporting = InstanceUseReporter.start(system, uses, idle);
            org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
                    org.apache.pekko.actor.CoordinatedShutdown.PhaseServiceStop(), "router-instance-use-reports", () -> {
                        reporting.cancel();
                        return java.util.concurrent.CompletableFuture.completedFuture(org.apache.pekko.Done.getInstance());
                    });
        }
        return new Router(settings, proxy, cache, directory, aliasChanges, callers, decisions, metrics, uses);
    }

    /**
     * The store's routes with the router's around them, by host: the apps' host names (the apps domain and
     * {@code <name>.<apps-domain>}) belong to the apps and serve nothing of the store's; every other host is the
     * store's, where the store's routes answer and {@code /instance/...} is sent on to the apps' origin.
     */
    public Route routes(Route store) {
        String appsDomain = settings.appsDomain();
        return new AllDirectives() {
            Route all() {
                // The store's side is the same for every request: built once, not per request.
                Route storeSide = concat(store, proxy.storeRoutes());
                // Requests come through the data plane (serve): the peer is the browser it says, not the loopback.
                return mapRequest(frontPeer::restore, () -> extractHost(rawHost -> {
                    String host = rawHost.toLowerCase(java.util.Locale.ROOT);
                    if (host.equals(appsDomain) || host.endsWith("." + appsDomain)) {
                        return proxy.appRoutes(host);
                    }
                    return storeSide;
                }));
            }
        }.all();
    }

    /**
     * Opens the store's public port: the data plane relays instance traffic itself and hands everything else to
     * {@code store}, a loopback binding of {@link #routes}. Close it before the actor system stops.
     */
    public DataPlane serve(String host, int port, java.net.InetSocketAddress store, java.time.Duration headerReadTimeout)
            throws InterruptedException {
        return serve(host, port, store, headerReadTimeout, StoreFiles.NONE);
    }

    /** As above, and the data plane answers the store's {@code files} itself (see {@link StoreFiles}). */
    public DataPlane serve(String host, int port, java.net.InetSocketAddress store, java.time.Duration headerReadTimeout,
            StoreFiles files) throws InterruptedException {
        return serve(host, port, store, headerReadTimeout, files, null);
    }

    /**
     * As above, and the store's requests the data plane read whole go to {@code storeRoutes} in-process, without the
     * loopback hop (see {@link StoreRoutes}); null: all are relayed.
     */
    public DataPlane serve(String host, int port, java.net.InetSocketAddress store, java.time.Duration headerReadTimeout,
            StoreFiles files, StoreRoutes storeRoutes) throws InterruptedException {
        return DataPlane.start(settings, decisions, cache, metrics, frontPeer, uses, store, host, port, headerReadTimeout,
                files, storeRoutes);
    }

    public RouteCache cache() {
        return cache;
    }

    /** Who sent a request to the store, as the router knows callers (the alias API asks the same way). */
    public StoreCaller callers() {
        return callers;
    }

    /**
     * Tells every replica's router that an alias changed, and completes when this replica's router sees the change
     * (so that the answer to a change is true of the next request).
     */
    public java.util.concurrent.CompletionStage<Void> aliasChanged(String name) {
        aliasChanges.tell(Topic.publish(new AliasChanges.AliasesChanged(name)));
        return aliases.reload().handle((snapshot, error) -> null);
    }

    static ObjectMapper jsonMapper() {
        return new ObjectMapper()
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
