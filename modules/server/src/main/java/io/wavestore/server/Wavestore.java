package io.wavestore.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.typesafe.config.Config;
import io.wavestore.bundle.BundleReader;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.CatalogService;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.BlobStores;
import io.wavestore.database.Database;
import io.wavestore.identity.CallerResolver;
import io.wavestore.server.api.ApiRoutes;
import io.wavestore.server.api.AppRoutes;
import io.wavestore.server.api.InstanceRoutes;
import io.wavestore.server.api.LauncherRoutes;
import io.wavestore.server.api.SecretRoutes;
import io.wavestore.server.api.TagRoutes;
import io.wavestore.server.api.TokenRoutes;
import io.wavestore.server.auth.AuthRoutes;
import io.wavestore.server.http.HttpServer;
import io.wavestore.server.management.ClusterFormation;
import io.wavestore.server.management.DatabaseProbe;
import io.wavestore.server.management.ManagementHooks;
import io.wavestore.server.management.ManagementServer;
import io.wavestore.server.management.ManagementSettings;
import io.wavestore.server.metrics.ClusterGauges;
import io.wavestore.server.metrics.HttpMetrics;
import io.wavestore.server.metrics.MetricsScrape;
import io.wavestore.server.metrics.StoreMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires one replica of the store: database, blob storage, catalog actor, identity, routes, HTTP binding. */
public final class Wavestore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Wavestore.class);

    private final ActorSystem<Void> system;
    private final InetSocketAddress address;
    private final InetSocketAddress managementAddress;

    private Wavestore(ActorSystem<Void> system, InetSocketAddress address, InetSocketAddress managementAddress) {
        this.system = system;
        this.address = address;
        this.managementAddress = managementAddress;
    }

    /** Starts a replica and returns once it listens; fails (and cleans up) if any part cannot start. */
    public static Wavestore start(Config given) throws Exception {
        Config config = SeedNodes.apply(given);
        ServerSettings settings = ServerSettings.from(config);
        ManagementSettings management = ManagementSettings.from(config);
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        CompletableFuture<InetSocketAddress> managementBound = new CompletableFuture<>();
        // The router needs the peer's address on requests and Pings on idle browser WebSockets from pekko-http.
        ActorSystem<Void> system = ActorSystem.create(guardian(settings, management, bound, managementBound), "wavestore",
                ManagementServer.pekkoSettings(management, settings.shutdownDeadline())
                        .withFallback(io.wavestore.router.RouterSettings.serverDefaults(config)));
        system.getWhenTerminated().whenComplete((done, error) -> {
            bound.completeExceptionally(new IllegalStateException("the store stopped while starting; see the log above"));
            managementBound.completeExceptionally(new IllegalStateException("the store stopped while starting"));
        });
        try {
            InetSocketAddress address = bound.get(2, TimeUnit.MINUTES);
            return new Wavestore(system, address, managementBound.get(1, TimeUnit.MINUTES));
        } catch (Exception e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
            throw e;
        }
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Where management HTTP listens: /alive, /ready, /metrics. */
    public InetSocketAddress managementAddress() {
        return managementAddress;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    @Override
    public void close() throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    private static Behavior<Void> guardian(ServerSettings settings, ManagementSettings management,
            CompletableFuture<InetSocketAddress> bound, CompletableFuture<InetSocketAddress> managementBound) {
        return Behaviors.setup(context -> {
            ActorSystem<Void> system = context.getSystem();
            IdentityFactory.check(settings);
            failStartWhenUnbound(system, ManagementServer.start(system, management), managementBound,
                    "cannot start management HTTP on " + management.host() + ":" + management.port());
            Path tmp = settings.dataDir().resolve("tmp");
            clearDirectory(tmp);

            Database database = Database.start(settings.database(), settings.dataDir());
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-database",
                    () -> {
                        database.close();
                        return CompletableFuture.completedFuture(Done.getInstance());
                    });
            BlobStore blobs = BlobStores.create(settings.blob(), settings.dataDir());
            CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "close-blob-store",
                    () -> {
                        blobs.close();
                        return CompletableFuture.completedFuture(Done.getInstance());
                    });
            LOG.info("catalog in {}, blobs in {}", database.describe(), blobs.describe());
            ManagementHooks.get(system).database(new DatabaseProbe(database.dataSource(), management.checkTimeout(),
                    system.dispatchers().lookup(DispatcherSelector.fromConfig("wavestore.management.dispatcher"))));
            IdentityFactory.Identity auth = IdentityFactory.create(settings, database.jdbi());
            CallerResolver identity = auth.resolver();

            CatalogService service = new CatalogService(database.jdbi(), blobs,
                    new BundleReader(settings.bundleLimits(), settings.manifestPolicy()), tmp.resolve("imports"),
                    Clock.systemUTC());
            ActorRef<CatalogActor.Command> catalog = context.spawn(
                    CatalogActor.create(service, settings.orphanInterval(), settings.orphanGrace()), "catalog");

            ClusterFormation.start(system, management);
            io.wavestore.activity.ActivityHistory history = io.wavestore.activity.ActivityHistory.start(system,
                    database.dataSource(), database.jdbi(), Clock.systemUTC());
            Optional<SchedulerWiring.Scheduler> scheduler = SchedulerWiring.start(system, system.settings().config(),
                    settings.dataDir(), service, history.recorder());
            if (scheduler.isEmpty()) {
                LOG.warn("no instance runtime configured (wavestore.scheduler.runtime = none): the catalog works,"
                        + " instances cannot be started");
            }

            ObjectMapper mapper = jsonMapper();
            io.wavestore.router.RouterSettings routerSettings =
                    io.wavestore.router.RouterSettings.from(system.settings().config());
            AppRoutes apps = new AppRoutes(system, catalog, identity, mapper, settings.askTimeout(), tmp.resolve("uploads"),
                    settings.maxUploadBytes(), scheduler.map(SchedulerWiring.Scheduler::watcher));
            TagRoutes tags = new TagRoutes(system, catalog, identity, mapper, settings.askTimeout());
            Optional<InstanceRoutes> instances = scheduler.map(s -> new InstanceRoutes(system, catalog, identity, mapper,
                    settings.askTimeout(), s.watcher(), s.runtime(), routerSettings));
            Optional<LauncherRoutes> launchers = scheduler.map(s -> new LauncherRoutes(system, catalog, identity, mapper,
                    settings.askTimeout(), s.credentials(), s.launcherCredentialTtl()));
            TokenRoutes tokens = new TokenRoutes(system, catalog, identity, mapper, settings.askTimeout(), auth.tokens());
            Optional<SecretRoutes> secrets = scheduler.flatMap(SchedulerWiring.Scheduler::secrets).map(store -> new SecretRoutes(
                    system, catalog, identity, mapper, settings.askTimeout(), store, appName -> appOwner(service, appName),
                    new io.wavestore.server.api.SecretActivity(system)));
            ApiRoutes api = new ApiRoutes(system, catalog, identity, mapper, settings.askTimeout(), apps, tags, instances,
                    launchers, tokens, secrets,
                    new io.wavestore.server.api.ActivityRoutes(system, catalog, identity, mapper,
                            settings.askTimeout(), history, Clock.systemUTC()));
            Route storeRoutes = new AuthRoutes(system, identity, auth.oidc(), auth.passes(), routerSettings, mapper).routes()
                    .orElse(api.routes())
                    .orElse(new io.wavestore.server.http.WebRoutes().routes());
            // The router (instances' UIs at /instance/<id>/ and <id>.<apps-domain>) around the store's routes and alias API.
            StoreMetrics metrics = new StoreMetrics(management.jvmMetrics());
            io.wavestore.server.alias.AliasService aliases = new io.wavestore.server.alias.AliasService(database.jdbi(),
                    Clock.systemUTC());
            Optional<io.wavestore.router.Router> router = scheduler.map(s -> io.wavestore.router.Router.start(system,
                    routerSettings, identity, auth.passes(), new CatalogAppLookup(service), s.runtime(), s.changes(),
                    aliases::list, metrics));
            Route routes = router.map(r -> r.routes(io.wavestore.server.http.StoreSide.of(system, r, routerSettings,
                    aliases, mapper, storeRoutes))).orElse(storeRoutes);
            ManagementHooks.get(system).metrics(new MetricsScrape(metrics, new ClusterGauges(system, metrics,
                    scheduler.map(SchedulerWiring.Scheduler::watcher), management.scrapeTimeout())));

            // Alias changes are recorded around the router's alias API.
            Route recorded = new io.wavestore.server.api.AliasActivity(system, identity).around(routes);
            Route edges = new io.wavestore.server.http.ProblemEdges(
                    new io.wavestore.server.problem.ProblemResponses(mapper, io.wavestore.server.problem.ProblemMapping::toProblem))
                    .around(recorded);
            Route measured = new HttpMetrics(metrics, Optional.of(routerSettings.appsDomain())).measure(edges);
            java.util.concurrent.CompletionStage<InetSocketAddress> listening = router.isEmpty()
                    ? HttpServer.start(system, measured, settings.httpHost(), settings.httpPort(),
                            settings.shutdownDeadline(), settings.headerReadTimeout()).thenApply(b -> b.localAddress())
                    // The public port is the router's data plane; the store's routes listen behind it on loopback.
                    : HttpServer.start(system, measured, "127.0.0.1", 0, settings.shutdownDeadline(),
                            settings.headerReadTimeout()).thenApply(binding -> io.wavestore.server.http.DataPlaneServer.start(system,
                                    router.get(), binding.localAddress(), settings, webFiles(metrics),
                                    measured));
            failStartWhenUnbound(system, listening, bound,
                    "cannot listen on " + settings.httpHost() + ":" + settings.httpPort());
            return Behaviors.empty();
        });
    }

    /** The web UI's files, answered by the data plane itself and counted as the store's routes count theirs. */
    private static io.wavestore.router.StoreFiles webFiles(StoreMetrics metrics) {
        return new io.wavestore.router.StoreFiles(io.wavestore.server.http.WebRoutes::unchangingWhileRunning,
                took -> metrics.httpRequest("GET", io.wavestore.server.metrics.RouteGroup.WEB, 200, took));
    }

    /** Completes {@code result} with the binding, or fails it and stops the store. */
    private static <T> void failStartWhenUnbound(ActorSystem<?> system, java.util.concurrent.CompletionStage<T> binding,
            CompletableFuture<T> result, String what) {
        binding.whenComplete((bindingValue, error) -> {
            if (error != null) {
                LOG.error("{}: {}", what, error.toString());
                result.completeExceptionally(error);
                system.terminate();
            } else {
                result.complete(bindingValue);
            }
        });
    }

    /** The JSON the API writes: ISO-8601 times, Optional as value or null. */
    /** Who owns an app name (every version has the same owner), whatever its visibility: for APP secrets. */
    private static Optional<String> appOwner(CatalogService service, String appName) {
        io.wavestore.identity.Caller store = new io.wavestore.identity.Caller("wavestore", "the store",
                io.wavestore.identity.Role.ADMIN, java.util.Set.of(), java.util.Set.of(), false);
        return service.list(new io.wavestore.catalog.model.AppQuery(Optional.of(appName), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, 1, 0), store).items().stream().findFirst()
                .map(io.wavestore.catalog.model.AppVersion::ownerId);
    }

    public static ObjectMapper jsonMapper() {
        return new ObjectMapper()
                .registerModule(new Jdk8Module())
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** Uploads and imports in progress when the store stopped are gone for good: start with an empty tmp. */
    private static void clearDirectory(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }
}
