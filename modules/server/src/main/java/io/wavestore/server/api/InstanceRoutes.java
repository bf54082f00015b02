package io.wavestore.server.api;

import io.wavestore.activity.ActivityKind;
import java.util.Map;

import io.wavestore.server.problem.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.InstanceAccess;
import io.wavestore.identity.Role;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.scheduler.InstanceIds;
import io.wavestore.scheduler.InstanceView;
import io.wavestore.scheduler.ReleaseWatcher;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code /api/v1/instances}: start instances of apps, list and read them, follow their logs, suspend, resume,
 * update, change visibility, terminate. Who may do what is {@link InstanceAccess}; the instance's actor does it.
 */
public final class InstanceRoutes extends ApiSupport {

    /** The app and version to run, and who may use the instance (default PRIVATE). */
    public record StartBody(String app, String version, String visibility) {
    }

    /** Update to another version and/or change visibility. */
    public record InstancePatch(String version, String visibility) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final ActivityFacts facts;

    private final ActorRef<ReleaseWatcher.Command> watcher;
    private final InstanceRuntime runtime;
    /** How long one question for an instance's view waits before it is asked again ({@link #read}). */
    private static final Duration READ_ATTEMPT = Duration.ofSeconds(5);
    private final io.wavestore.router.RouterSettings router;

    /** How long a followed log may be quiet before the store writes to it to see whether its client is still there. */
    static final Duration LOG_KEEP_ALIVE = Duration.ofSeconds(10);
    static final ByteString LOG_KEEP_ALIVE_BYTES = ByteString.fromString("\r");

    public InstanceRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity, ObjectMapper mapper,
            Duration askTimeout, ActorRef<ReleaseWatcher.Command> watcher, InstanceRuntime runtime,
            io.wavestore.router.RouterSettings router) {
        super(system, catalog, identity, mapper, askTimeout);
        this.facts = new ActivityFacts(system);
        this.router = router;
        this.watcher = watcher;
        this.runtime = runtime;
    }

    public Route routes() {
        return pathPrefix("instances", () -> withCaller(caller -> concat(
                pathEnd(() -> concat(
                        get(() -> list(caller)),
                        post(() -> entity(body(StartBody.class), start -> start(caller, start))))),
                pathPrefix(PathMatchers.segment(), id -> !InstanceIds.plausible(id) ? failWith(notFound(id)) : concat(
                        pathEnd(() -> concat(
                                get(() -> onSuccess(authorized(caller, id, InstanceAccess.Action.VIEW_STATUS),
                                        view -> json(StatusCodes.OK, view(view)))),
                                patch(() -> entity(body(InstancePatch.class), p -> patch(caller, id, p))),
                                delete(() -> command(caller, id, InstanceAccess.Action.TERMINATE, InstanceActor.Terminate::new,
                                        ActivityKind.INSTANCE_TERMINATED, view -> complete(StatusCodes.NO_CONTENT))))),
                        path("suspend", () -> post(() -> command(caller, id, InstanceAccess.Action.MANAGE,
                                InstanceActor.Suspend::new, ActivityKind.INSTANCE_SUSPENDED,
                                view -> json(StatusCodes.OK, view(view))))),
                        path("resume", () -> post(() -> command(caller, id, InstanceAccess.Action.MANAGE,
                                InstanceActor.Resume::new, ActivityKind.INSTANCE_RESUMED, view -> json(StatusCodes.OK, view(view))))),
                        path("logs", () -> get(() -> logs(caller, id))))))));
    }

    private Route list(Caller caller) {
        return parameterOptional("owner", owner -> parameterOptional("app", app -> parameterOptional("openable", openable -> {
            if (openable.map(o -> o.equals("true") || o.equals("1")).orElse(false)) {
                return openable(caller, app.filter(a -> !a.isBlank()).orElseThrow(
                        () -> ApiException.badParameter("app", "openable=true lists the instances of one app: send app")));
            }
            if (!caller.signedIn()) {
                throw new ApiException(Problem.of("sign-in-required", "Sign-in required", 401, "sign in to see instances", null));
            }
            // Admins see every instance (filtered as asked); everyone else their own.
            Optional<String> ownerFilter = caller.isAdmin() ? owner.filter(o -> !o.isBlank()) : Optional.of(caller.id());
            CompletionStage<ReleaseWatcher.Listing> listing = AskPattern.ask(watcher,
                    replyTo -> new ReleaseWatcher.ListInstances(ownerFilter, app.filter(a -> !a.isBlank()), replyTo),
                    askTimeout, system.scheduler());
            return onSuccess(listing, result -> json(StatusCodes.OK, result.entries().stream().map(this::view).toList()));
        })));
    }

    /**
     * The instances of one app, whoever owns them, that the caller may open in the browser: how a user finds the
     * running instance of a MANAGED app, which only its owner or an admin starts. It shows nothing the router would
     * not let the caller use anyway.
     */
    private Route openable(Caller caller, String app) {
        CompletionStage<ReleaseWatcher.Listing> listing = AskPattern.ask(watcher,
                replyTo -> new ReleaseWatcher.ListInstances(Optional.empty(), Optional.of(app), replyTo),
                askTimeout, system.scheduler());
        return onSuccess(listing, result -> json(StatusCodes.OK, result.entries().stream()
                .filter(e -> InstanceAccess.allows(caller, InstanceAccess.Action.OPEN_UI,
                        new InstanceAccess.InstanceFacts(e.record().ownerId(), e.record().visibility(), "")))
                .map(this::view).toList()));
    }

    private Route start(Caller caller, StartBody body) {
        if (!caller.signedIn()) {
            throw new ApiException(Problem.of("sign-in-required", "Sign-in required", 401, "sign in to start instances", null));
        }
        require(body.app(), "app");
        require(body.version(), "version");
        Visibility visibility = visibility(Optional.ofNullable(body.visibility()), "visibility").orElse(Visibility.PRIVATE);
        String id = newInstanceId();
        CompletionStage<InstanceView> started = this.<AppVersion>ask(r -> new CatalogActor.GetApp(body.app(), body.version(), caller, r))
                .thenCompose(app -> {
                    checkLifecycle(caller, app);
                    return reserve(id, caller, app).thenApply(granted -> app);
                })
                .thenCompose(app -> instance(id).ask(
                        (ActorRef<InstanceActor.Reply> r) -> new InstanceActor.Start(
                                io.wavestore.server.CatalogAppLookup.runtimeOf(app), caller.id(),
                                caller.role().compareTo(Role.FULL_USER) >= 0, visibility, r), askTimeout))
                .thenApply(this::done);
        return extractRequest(request -> onSuccess(started.thenApply(done -> {
            facts.instance(ActivityFacts.actor(caller, request), ActivityKind.INSTANCE_STARTED, done.record().orElseThrow(),
                    Map.of("visibility", visibility.name()));
            return view(done);
        }), view -> respondWithHeader(Location.create("/api/v1/instances/" + view.id()),
                () -> json(StatusCodes.CREATED, view))));
    }

    private Route patch(Caller caller, String id, InstancePatch patch) {
        if (patch.version() == null && patch.visibility() == null) {
            throw ApiException.badParameter("version", "send a version to update to, a visibility, or both");
        }
        Optional<Visibility> visibility = visibility(Optional.ofNullable(patch.visibility()), "visibility");
        return extractRequest(request -> {
            io.wavestore.activity.Actor actor = ActivityFacts.actor(caller, request);
            CompletionStage<InstanceView> result = authorized(caller, id, InstanceAccess.Action.MANAGE)
                    .thenCompose(view -> patch.version() == null ? CompletableFuture.completedFuture(view)
                            : this.<AppVersion>ask(r -> new CatalogActor.GetApp(view.record().orElseThrow().appName(),
                                            patch.version(), caller, r))
                                    .thenCompose(app -> send(id, r -> new InstanceActor.Update(app.version(), r)))
                                    .thenApply(updated -> recorded(actor, ActivityKind.INSTANCE_UPDATED, updated,
                                            Map.of("from_version", view.record().orElseThrow().appVersion()))))
                    .thenCompose(view -> visibility.isEmpty() ? CompletableFuture.completedFuture(view)
                            : send(id, r -> new InstanceActor.ChangeVisibility(visibility.get(), r))
                                    .thenApply(changed -> recorded(actor, ActivityKind.INSTANCE_VISIBILITY_CHANGED, changed,
                                            Map.of("visibility", visibility.get().name()))));
            return onSuccess(result, view -> json(StatusCodes.OK, view(view)));
        });
    }

    private InstanceView recorded(io.wavestore.activity.Actor actor, ActivityKind kind,
            InstanceView view, Map<String, String> details) {
        facts.instance(actor, kind, view.record().orElseThrow(), details);
        return view;
    }

    private Route command(Caller caller, String id, InstanceAccess.Action action,
            Function<ActorRef<InstanceActor.Reply>, InstanceActor.Command> command, ActivityKind kind,
            Function<InstanceView, Route> then) {
        return extractRequest(request -> onSuccess(authorized(caller, id, action).thenCompose(before -> send(id, command)
                .thenApply(after -> {
                    // A terminated instance has no record after: the history names what it was.
                    facts.instance(ActivityFacts.actor(caller, request), kind,
                            after.record().or(before::record).orElseThrow(), Map.of());
                    return after;
                })), then::apply));
    }

    /** Streams the log as text, following it when asked; closing the connection ends the follow. */
    private Route logs(Caller caller, String id) {
        return parameterOptional("tail", tail -> parameterOptional("follow", follow -> {
            int lines = tail.map(t -> parseInt(t, "tail")).orElse(200);
            boolean following = follow.map(f -> f.equals("true") || f.equals("1")).orElse(false);
            return onSuccess(authorized(caller, id, InstanceAccess.Action.VIEW_LOGS), view -> {
                // A followed log waits in nextLine() for the next line, so the stage reading it cannot see the client
                // leave (a closed browser tab) until one arrives, and a quiet app would hold a thread, and the store's
                // shutdown, for ever. Past an async boundary the client's leaving is seen at once and closes the log,
                // which ends the wait.
                AtomicReference<InstanceRuntime.LogStream> opened = new AtomicReference<>();
                Source<ByteString, ?> source = Source.<String, InstanceRuntime.LogStream>unfoldResource(
                                () -> {
                                    InstanceRuntime.LogStream stream = runtime.logs(id, lines, following);
                                    opened.set(stream);
                                    return stream;
                                },
                                stream -> stream.nextLine(),
                                InstanceRuntime.LogStream::close)
                        .map(line -> ByteString.fromString(line + "\n"))
                        .withAttributes(ActorAttributes.dispatcher(InstanceActor.BLOCKING_DISPATCHER))
                        .async()
                        // A client that left is only noticed when something is written to it: a quiet log carries a
                        // carriage return now and then (invisible at the start of a line; the web UI drops it).
                        .keepAlive(LOG_KEEP_ALIVE, () -> LOG_KEEP_ALIVE_BYTES)
                        .watchTermination((mat, done) -> {
                            done.whenComplete((ok, error) -> closeQuietly(opened.get()));
                            return mat;
                        });
                return complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, source));
            });
        }));
    }

    private static void closeQuietly(InstanceRuntime.LogStream stream) {
        if (stream != null) {
            try {
                stream.close();
            } catch (java.io.IOException | RuntimeException e) {
                // the log is gone with its reader; nothing is left to release
            }
        }
    }

    /** The instance's view, when it exists and the caller may do {@code action} with it; else a problem. */
    /** The instance as the API shows it, with the URL browsers open it at (on the apps' origin, never the store's). */
    private InstanceJson view(InstanceView view) {
        return InstanceJson.of(view, router.instanceUrl(view.record().orElseThrow().instanceId()));
    }

    private InstanceJson view(ReleaseWatcher.Entry entry) {
        return InstanceJson.of(entry, router.instanceUrl(entry.record().instanceId()));
    }

    private CompletionStage<InstanceView> authorized(Caller caller, String id, InstanceAccess.Action action) {
        return read(id).thenCompose(view -> {
            InstanceRecord record = view.record().orElseThrow(() -> notFound(id));
            return this.<Optional<AppVersion>>ask(r -> new CatalogActor.FindApp(record.appName(), record.appVersion(), r))
                    .thenApply(app -> {
                        var facts = new InstanceAccess.InstanceFacts(record.ownerId(), record.visibility(),
                                app.map(AppVersion::ownerId).orElse(""));
                        if (!InstanceAccess.allows(caller, action, facts)) {
                            // Those who may not even see it are told it does not exist.
                            if (!InstanceAccess.allows(caller, InstanceAccess.Action.VIEW_STATUS, facts)) {
                                throw notFound(id);
                            }
                            throw new ApiException(Problem.of("forbidden", "Not allowed", 403,
                                    "you may not " + action.name().toLowerCase().replace('_', ' ') + " instance " + id, null));
                        }
                        return view;
                    });
        });
    }

    /**
     * The instance's view, asked again every {@link #READ_ATTEMPT} (within the ask time-out): a question sent to the
     * replica of a shard whose replica just died is lost (kill -9: nobody answers, and the question would wait the
     * whole ask time-out), while the same question asked again once the shard is re-homed (10-16 s) is answered. A
     * graceful stop loses one too: a question buffered for a shard while it is handed off is dropped by Pekko rather
     * than delivered out of order (ShardRegion logs "Dropping [1] buffered messages"), and asked again it is answered
     * by the shard's new home. Only reads are asked again: commands go to the actor once.
     */
    private CompletionStage<InstanceView> read(String id) {
        int attempts = (int) Math.max(1, askTimeout.toMillis() / READ_ATTEMPT.toMillis());
        Duration each = attempts == 1 ? askTimeout : READ_ATTEMPT;
        return org.apache.pekko.pattern.Patterns.retry(
                        () -> instance(id).<InstanceActor.Reply>ask(InstanceActor.Get::new, each),
                        attempts - 1, Duration.ZERO,
                        org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system).scheduler(),
                        system.executionContext())
                .thenApply(this::done);
    }

    private CompletionStage<InstanceView> send(String id,
            Function<ActorRef<InstanceActor.Reply>, InstanceActor.Command> command) {
        return instance(id).ask(command::apply, askTimeout).thenApply(this::done);
    }

    private InstanceView done(InstanceActor.Reply reply) {
        if (reply instanceof InstanceActor.Done done) {
            return done.view();
        }
        InstanceActor.Rejected rejected = (InstanceActor.Rejected) reply;
        throw rejected.problem().refused(rejected.message());
    }

    private CompletionStage<Boolean> reserve(String id, Caller caller, AppVersion app) {
        CompletionStage<ReleaseWatcher.Reservation> reservation = AskPattern.ask(watcher,
                replyTo -> new ReleaseWatcher.ReserveStart(id, caller.id(), caller.role() == Role.VISITOR, app.name(),
                        app.version(), replyTo),
                askTimeout, system.scheduler());
        return reservation.thenApply(r -> {
            if (!r.granted()) {
                throw new ApiException(Problem.of("limit-reached", "Limit reached", 429, r.detail().orElse("a limit was hit"),
                        r.limit().orElse(null)));
            }
            return true;
        });
    }

    /** ON_DEMAND: anyone who sees the app; MANAGED: its owner or an admin; LINK apps have no instances. */
    private static void checkLifecycle(Caller caller, AppVersion app) {
        if (app.lifecycle() == InstanceLifecycle.LINK) {
            throw new ApiException(Problem.of("link-app", "Link apps do not run", 422,
                    app.name() + " is a link to another site; it has no instances to start", "app"));
        }
        if (app.lifecycle() == InstanceLifecycle.MANAGED && !(caller.isAdmin() || caller.is(app.ownerId()))) {
            throw new ApiException(Problem.of("forbidden", "Not allowed", 403,
                    app.name() + " is MANAGED: only its owner or an admin starts its instance; visit the running one", "app"));
        }
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<InstanceActor.Command> instance(String id) {
        return ClusterSharding.get(system).entityRefFor(InstanceActor.TYPE_KEY, id);
    }

    private static ApiException notFound(String id) {
        return new ApiException(Problem.of("instance-not-found", "Instance not found", 404, "no instance " + id, null));
    }

    private static void require(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.badParameter(field, field + " is required");
        }
    }

    private static int parseInt(String text, String field) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 0 || n > 100_000) {
                throw ApiException.badParameter(field, field + " must be between 0 and 100000");
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(field, field + " must be a whole number");
        }
    }

    /** {@code i-} and 12 random letters or digits: a DNS label, so it can name Helm releases and host names. */
    static String newInstanceId() {
        char[] id = new char[12];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return "i-" + new String(id);
    }
}
