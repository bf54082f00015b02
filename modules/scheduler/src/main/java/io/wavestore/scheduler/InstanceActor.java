package io.wavestore.scheduler;

import io.wavestore.bundle.ErrorCode;
import io.wavestore.bundle.RefusedException;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * One instance, sharded over the cluster by instance id. It holds only the live view of its instance (what the
 * runtime says) and serialises every lifecycle command for it: while one change runs, the next waits. It never
 * stores anything but through the runtime, so it can start on any node at any time and rebuild itself there.
 */
public final class InstanceActor {

    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Instance");
    public static final String BLOCKING_DISPATCHER = "wavestore.scheduler.blocking-dispatcher";
    /** How long an actor woken by the watcher's record waits for the watch's health before it asks the runtime. */
    private static final java.time.Duration HEALTH_LATE_AFTER = java.time.Duration.ofSeconds(3);
    /**
     * How long an actor whose instance is gone stays (as the shard's idle passivation kept it before): it remembers
     * the record it removed, so that a late watch event does not bring the instance back.
     */
    private static final java.time.Duration FORGET_GONE_AFTER = java.time.Duration.ofMinutes(2);

    /** How long a MANAGED app's visit waits for this node's directory to say which instance is the newest. */
    private static final java.time.Duration NEWEST_CHECK_TIMEOUT = java.time.Duration.ofSeconds(10);

    public sealed interface Command extends CborSerializable {
    }

    /**
     * Creates the instance for an app version (the caller checked who may); {@code ownerFullUser}: the caller is a
     * full user or admin, not a visitor (only their instances get ALL_USERS secrets).
     */
    public record Start(AppLookup.AppRuntime app, String ownerId, boolean ownerFullUser, Visibility visibility,
            ActorRef<Reply> replyTo)
            implements Command {
    }

    public record Suspend(ActorRef<Reply> replyTo) implements Command {
    }

    public record Resume(ActorRef<Reply> replyTo) implements Command {
    }

    /**
     * From the router: {@code visitorId} (who the router let wake it) opened the instance while it was suspended. Resumes
     * it through the same change as {@link Resume}; answers Done at once when it is not suspended (any more): of many
     * replicas asking at once, the first resumes it and the others find it resumed.
     *
     * @param onlyTheNewest the visitor may wake it only because its app is MANAGED: then only the app's newest instance
     *                      wakes (an older one is refused with {@link Problem#CONFLICT} and stays suspended)
     */
    public record Wake(String visitorId, boolean onlyTheNewest, ActorRef<Reply> replyTo) implements Command {

        /** Its owner's (or an admin's) visit: it wakes whatever its age. */
        public Wake(String visitorId, ActorRef<Reply> replyTo) {
            this(visitorId, false, replyTo);
        }
    }

    /** Moves to another version of the same app. */
    public record Update(String appVersion, ActorRef<Reply> replyTo) implements Command {
    }

    public record ChangeVisibility(Visibility visibility, ActorRef<Reply> replyTo) implements Command {
    }

    /** Removes the instance and its volumes. */
    public record Terminate(ActorRef<Reply> replyTo) implements Command {
    }

    public record Get(ActorRef<Reply> replyTo) implements Command {
    }

    /** From the instance's launcher (through the store's API): how far the start has come. */
    public record ReportProgress(LaunchProgress progress) implements Command {
    }

    /**
     * From the router of a replica, batched every few seconds: someone used the instance at {@code at} (a request, a
     * WebSocket within its grace). Only the newest time counts.
     */
    public record ActivitySeen(java.time.Instant at) implements Command {
    }

    /** Compare the last activity with the timeout now (the actor's own timer does it every check-interval). */
    public record CheckIdleness() implements Command {
    }

    /** From the ReleaseWatcher: the runtime's record of this instance changed. */
    public record RecordObserved(InstanceRecord record) implements Command {
    }

    /** From the ReleaseWatcher: the runtime no longer has this instance. */
    public record RecordRemoved() implements Command {
    }

    /** From the ReleaseWatcher: the workload changed. */
    public record HealthObserved(InstanceHealth health) implements Command {
    }

    private record Loaded(Optional<InstanceRecord> record, InstanceHealth health) implements Command {
    }

    /** The runtime's health, looked at when the launcher reported READY (see {@link #lookWhenReady}); empty: no answer. */
    private record HealthLooked(Optional<InstanceHealth> health) implements Command {
    }

    private record LoadFailed(String error) implements Command {
    }

    /** The watch's health of an instance woken by its record did not come in time (see {@link #awaitingHealth}). */
    private record HealthLate() implements Command {
    }

    private record IdleTick() implements Command {
    }

    /** The timeout of the instances of one app version, once looked up; empty: never suspended for idleness. */
    private record TimeoutLooked(String appVersion, Optional<java.time.Duration> timeout) implements Command {
    }

    /** A change ended; {@code health} is the workload as the runtime saw it after the change, when the record is kept. */
    private record Finished(InstanceOperation operation, String shown, Optional<InstanceRecord> record, Optional<InstanceHealth> health,
            Optional<String> error, Problem problem, ActorRef<Reply> replyTo) implements Command {
    }

    /** What a change's work returns: the record after it (empty when removed) and the workload then. */
    private record Outcome(Optional<InstanceRecord> record, Optional<InstanceHealth> health) {
    }

    /** The answer to "does the app version of this record still exist?". */
    /** What the directory said of a visit that may wake only the newest instance of a MANAGED app. */
    private record NewestChecked(Wake wake, boolean newest) implements Command {
    }

    private record AppChecked(String appName, String appVersion, boolean exists) implements Command {
    }

    public sealed interface Reply extends CborSerializable {
    }

    public record Done(InstanceView view) implements Reply {
    }

    public record Rejected(Problem problem, String message, InstanceView view) implements Reply {
    }

    /** Why a command was refused, with the field of the request that was wrong where one was. */
    public enum Problem {
        /** There is no such instance. */
        NOT_FOUND(new ErrorCode.Of("instance-not-found", "Instance not found", 404), null),
        /** The command does not fit the instance's state (start an existing one, resume a running one). */
        CONFLICT(new ErrorCode.Of("instance-conflict", "Not possible now", 409), null),
        /** The app version it needs does not exist. */
        APP_NOT_FOUND(new ErrorCode.Of("app-not-found", "App not found", 404), "version"),
        /** A secret the app refers to is missing, or this instance may not use it. */
        SECRET_UNAVAILABLE(new ErrorCode.Of("secret-unavailable", "A secret the app needs is unavailable", 422), "secrets"),
        /** The runtime failed the change. */
        FAILED(new ErrorCode.Of("runtime-failed", "The cluster did not make the change", 502), null);

        private final transient ErrorCode error;
        private final transient String field;

        Problem(ErrorCode error, String field) {
            this.error = error;
            this.field = field;
        }

        /** The refusal of a command for this reason, as the API answers it. */
        public RefusedException refused(String detail) {
            return new RefusedException(error, detail, field);
        }
    }

    /** Starts sharding of instances on this node, with no activity history (tests of the router). */
    public static ActorRef<org.apache.pekko.cluster.sharding.typed.ShardingEnvelope<Command>> init(ActorSystem<?> system,
            InstanceRuntime runtime, AppLookup apps, InstanceSpecFactory specs, Clock clock,
            ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes, ActorRef<ReleaseWatcher.Command> directory) {
        return init(system, new InstanceDependencies(runtime, apps, specs, clock, changes, directory,
                InstanceActivity.NONE));
    }

    /** Starts sharding of instances on this node. */
    public static ActorRef<org.apache.pekko.cluster.sharding.typed.ShardingEnvelope<Command>> init(ActorSystem<?> system,
            InstanceDependencies dependencies) {
        InstanceActorSettings settings = settingsOf(system);
        // Not passivated when idle by the shard: an instance must be watched for idleness while nothing happens to it.
        // An actor whose instance is gone passivates itself (see idle()).
        return ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
                        entity -> create(entity.getEntityId(), dependencies, settings, Optional.of(entity.getShard())))
                .withSettings(org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings.create(system)
                        .withNoPassivationStrategy()));
    }

    /** One instance's actor outside sharding, with the system's settings. */
    public static Behavior<Command> create(String instanceId, InstanceDependencies dependencies) {
        return Behaviors.setup(context -> create(instanceId, dependencies, settingsOf(context.getSystem()), Optional.empty()));
    }

    private static InstanceActorSettings settingsOf(ActorSystem<?> system) {
        return InstanceActorSettings.from(system.settings().config().getConfig(InstanceActorSettings.CONFIG_PATH));
    }

    private static Behavior<Command> create(String instanceId, InstanceDependencies dependencies,
            InstanceActorSettings settings, Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
        return Behaviors.withStash(settings.stashCapacity(), stash -> Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            // A fresh actor may be a moved one: whatever a node cached about this instance is stale.
            dependencies.changes().tell(Topic.publish(new InstanceChanges.InstanceChanged(instanceId)));
            InstanceActor actor = new InstanceActor(instanceId, dependencies, settings, context, stash);
            actor.timers = timers;
            actor.shard = shard;
            return actor.starting();
        })));
    }

    private final String instanceId;
    private final InstanceRuntime runtime;
    private final AppLookup apps;
    private final InstanceSpecFactory specs;
    private final Clock clock;
    private final ActorContext<Command> context;
    private final StashBuffer<Command> stash;
    private final Executor blocking;
    private final ActorRef<Topic.Command<InstanceChanges.InstanceChanged>> changes;
    private final ActorRef<ReleaseWatcher.Command> directory;

    private Optional<InstanceRecord> record = Optional.empty();
    /** The record this actor removed: a watch event about it that was under way meanwhile must not bring it back. */
    private Optional<InstanceRecord> removed = Optional.empty();
    private InstanceHealth health;
    private Optional<String> lastError = Optional.empty();
    private Optional<LaunchProgress> progress = Optional.empty();
    private int lastAnnounced;
    private final InstanceActivity activity;
    private final InstanceActorSettings settings;
    private org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers;
    private Optional<ActorRef<ClusterSharding.ShardCommand>> shard = Optional.empty();
    private final IdleSuspension idleSuspension;
    /** When someone last used the instance, as far as this actor heard (a new actor starts the count afresh). */
    private java.time.Instant lastActive;
    /** The timeout of {@link #timeoutOf}'s app version, once looked up. */
    private Optional<java.time.Duration> idleTimeout = Optional.empty();
    private Optional<String> timeoutOf = Optional.empty();
    /** The suspend under way is the store's own, for idleness. */
    private boolean suspendingForIdleness;
    /** The resume under way is a visit's wake, by this visitor. */
    private Optional<String> wokenBy = Optional.empty();

    private InstanceActor(String instanceId, InstanceDependencies dependencies, InstanceActorSettings settings,
            ActorContext<Command> context, StashBuffer<Command> stash) {
        this.instanceId = instanceId;
        this.runtime = dependencies.runtime();
        this.apps = dependencies.apps();
        this.specs = dependencies.specs();
        this.clock = dependencies.clock();
        this.changes = dependencies.changes();
        this.directory = dependencies.directory();
        this.activity = dependencies.activity();
        this.settings = settings;
        this.idleSuspension = settings.idle();
        this.context = context;
        this.stash = stash;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
        this.health = InstanceHealth.stopped(clock.instant());
        this.lastActive = clock.instant();
    }

    /**
     * Woken by the ReleaseWatcher with its record (a store rebuilding 1,000 instances after a restart), the actor
     * takes what Kubernetes said as its state and asks nothing more. Woken by anything else (a request, after a move),
     * it asks the runtime first.
     */
    private Behavior<Command> starting() {
        return Behaviors.receive(Command.class)
                .onMessage(RecordObserved.class, observed -> {
                    Behavior<Command> next = onRecordObserved(observed);
                    if (next != Behaviors.<Command>same()) {
                        return next;
                    }
                    return record.filter(r -> !r.suspended()).isPresent() ? awaitingHealth() : idle();
                })
                .onAnyMessage(message -> {
                    stash.stash(message);
                    return loading();
                })
                .build();
    }

    /**
     * Woken by the watcher's record of an instance that should run, the actor knows nothing yet of its workload: the
     * watch reports the health right after the record. Until it comes, questions wait, since answered now they would
     * call a running instance STOPPED, and a router would show it as down: in a rolling restart the watcher moves with
     * the oldest replica and wakes the actors just handed over with their records, and on a busy machine the health
     * may come seconds later. If it does not come, the actor asks the runtime.
     */
    private Behavior<Command> awaitingHealth() {
        return Behaviors.withTimers(timers -> {
            timers.startSingleTimer(HealthLate.class, new HealthLate(), HEALTH_LATE_AFTER);
            return Behaviors.receive(Command.class)
                    .onMessage(HealthObserved.class, observed -> {
                        timers.cancel(HealthLate.class);
                        onHealth(observed, true);
                        return stash.unstashAll(idle());
                    })
                    .onMessage(HealthLate.class, late -> loading())
                    .onAnyMessage(message -> {
                        stash.stash(message);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    /** The actor asks the runtime what exists: it may be starting after a restart or a move. */
    private Behavior<Command> loading() {
        if (!InstanceIds.plausible(instanceId)) {
            // No runtime can hold it (the API and the router refuse such ids before asking): nothing to read, or retry.
            context.getSelf().tell(new Loaded(Optional.empty(), health));
        } else {
            askRuntime();
        }
        return Behaviors.receive(Command.class)
                .onMessage(Loaded.class, loaded -> {
                    Optional<InstanceRecord> known = record;
                    record = loaded.record();
                    health = loaded.health();
                    // A first look, as the watch's would be: a request may find a release made with helm before the
                    // watch reports it (which then is no news here). An actor woken by the watch's record already
                    // told it, and looks again only because the health came late: that is no news either.
                    record.filter(r -> known.filter(k -> sameRelease(k, r)).isEmpty())
                            .ifPresent(activity::releaseObserved);
                    announce();
                    return stash.unstashAll(idle());
                })
                .onMessage(LoadFailed.class, failed -> {
                    // The runtime is unreachable: try again soon; requests wait (their asks time out meanwhile).
                    context.getLog().warn("instance {}: cannot read its state from {}: {}", instanceId, runtime.describe(),
                            failed.error());
                    return Behaviors.withTimers(timers -> {
                        timers.startSingleTimer(new LoadFailed("retry"), settings.loadRetryDelay());
                        return Behaviors.receive(Command.class)
                                .onMessageEquals(new LoadFailed("retry"), this::loading)
                                .onAnyMessage(m -> {
                                    stash.stash(m);
                                    return Behaviors.same();
                                })
                                .build();
                    });
                })
                .onAnyMessage(message -> {
                    stash.stash(message);
                    return Behaviors.same();
                })
                .build();
    }

    private void askRuntime() {
        context.pipeToSelf(CompletableFuture.supplyAsync(
                        () -> new Loaded(runtime.get(instanceId), runtime.health(instanceId)), blocking),
                (loaded, error) -> error == null ? loaded : new LoadFailed(rootMessage(error)));
    }

    private Behavior<Command> idle() {
        if (!timers.isTimerActive(IdleTick.class)) {
            timers.startTimerWithFixedDelay(IdleTick.class, new IdleTick(), idleSuspension.checkInterval());
        }
        return Behaviors.receive(Command.class)
                .onMessage(Get.class, get -> reply(get.replyTo()))
                .onMessage(ActivitySeen.class, this::onActivitySeen)
                .onMessage(IdleTick.class, tick -> {
                    if (record.isEmpty() && clock.instant().isAfter(lastActive.plus(FORGET_GONE_AFTER))) {
                        // Nothing left to watch (terminated, or never was): the next message starts it afresh.
                        shard.ifPresent(s -> s.tell(new ClusterSharding.Passivate<>(context.getSelf())));
                        return Behaviors.same();
                    }
                    return checkIdleness();
                })
                .onMessage(CheckIdleness.class, check -> checkIdleness())
                .onMessage(TimeoutLooked.class, looked -> {
                    timeoutOf = Optional.of(looked.appVersion());
                    idleTimeout = looked.timeout();
                    return Behaviors.same();
                })
                .onMessage(RecordObserved.class, this::onRecordObserved)
                .onMessage(AppChecked.class, this::onAppChecked)
                .onMessage(RecordRemoved.class, removed -> {
                    // Gone without this actor's doing (the store's own terminate emptied the record first).
                    record.ifPresent(activity::releaseRemoved);
                    record = Optional.empty();
                    health = InstanceHealth.stopped(clock.instant());
                    announce();
                    return Behaviors.same();
                })
                .onMessage(HealthObserved.class, observed -> onHealth(observed, true))
                .onMessage(HealthLooked.class, looked -> onHealthLooked(looked, true))
                .onMessage(ReportProgress.class, this::onProgress)
                .onMessage(Start.class, this::onStart)
                .onMessage(Suspend.class, c -> suspend(c.replyTo()))
                .onMessage(Wake.class, this::onWake)
                .onMessage(NewestChecked.class, this::onNewestChecked)
                .onMessage(Resume.class, c -> change(InstanceOperation.RESUME, c.replyTo(), r -> !r.suspended()
                        ? conflict("the instance is not suspended")
                        : r.withSuspended(false, Optional.empty())))
                .onMessage(ChangeVisibility.class, c -> change(InstanceOperation.CHANGE_VISIBILITY, c.replyTo(), r -> new InstanceRecord(
                        r.instanceId(), r.appId(), r.appName(), r.appVersion(), r.ownerId(), r.ownerFullUser(),
                        c.visibility(), r.suspended(),
                        r.createdAt(), r.releaseState(), r.revision(), r.suspendedReason())))
                .onMessage(Update.class, this::onUpdate)
                .onMessage(Terminate.class, this::onTerminate)
                .build();
    }

    private Behavior<Command> suspend(ActorRef<Reply> replyTo) {
        return suspend(replyTo, Optional.empty());
    }

    /** @param reason kept with the suspension in the runtime ({@link InstanceView#IDLE}), none for a suspend by hand */
    private Behavior<Command> suspend(ActorRef<Reply> replyTo, Optional<String> reason) {
        return change(InstanceOperation.SUSPEND, replyTo, r -> r.suspended()
                        ? conflict("the instance is already suspended")
                        : r.withSuspended(true, reason));
    }

    private Behavior<Command> onWake(Wake wake) {
        if (record.isEmpty()) {
            return notFound(wake.replyTo());
        }
        if (!record.get().suspended()) {
            return reply(wake.replyTo());
        }
        if (wake.onlyTheNewest()) {
            InstanceRecord own = record.get();
            context.ask(ReleaseWatcher.Listing.class, directory, NEWEST_CHECK_TIMEOUT,
                    replyTo -> new ReleaseWatcher.ListInstances(Optional.empty(), Optional.of(own.appName()), replyTo),
                    (listing, error) -> new NewestChecked(wake, listing != null && listing.entries().stream()
                            .noneMatch(e -> newer(e.record(), own))));
            return Behaviors.same();
        }
        wokenBy = Optional.of(wake.visitorId());
        return change(InstanceOperation.RESUME, wake.replyTo(), r -> r.withSuspended(false, Optional.empty()));
    }

    /**
     * Created after {@code own}: creation times have whole seconds, so two of the same second are ordered by id, as
     * the directory lists them (newest first).
     */
    private static boolean newer(InstanceRecord other, InstanceRecord own) {
        int created = other.createdAt().compareTo(own.createdAt());
        return created > 0 || created == 0 && other.instanceId().compareTo(own.instanceId()) < 0;
    }

    /** MANAGED apps: a visitor wakes the app's newest instance, never an older one its owner left suspended. */
    private Behavior<Command> onNewestChecked(NewestChecked checked) {
        if (!checked.newest()) {
            return reject(checked.wake().replyTo(), Problem.CONFLICT,
                    "not the newest instance of its MANAGED app: only its owner or an admin resumes it");
        }
        return onWake(new Wake(checked.wake().visitorId(), false, checked.wake().replyTo()));
    }

    private Behavior<Command> onActivitySeen(ActivitySeen seen) {
        if (seen.at().isAfter(lastActive)) {
            lastActive = seen.at();
        }
        return Behaviors.same();
    }

    /**
     * Suspends a serving instance nobody used for its timeout, through the same change a user's suspend makes. One
     * still starting is not idle: its wait starts when it serves.
     */
    private Behavior<Command> checkIdleness() {
        if (record.isEmpty() || record.get().suspended()) {
            return Behaviors.same();
        }
        java.time.Instant now = clock.instant();
        if (!isServing()) {
            lastActive = now;
            return Behaviors.same();
        }
        InstanceRecord r = record.get();
        if (!timeoutOf.equals(Optional.of(r.appVersion()))) {
            context.pipeToSelf(CompletableFuture.supplyAsync(() -> apps.find(r.appName(), r.appVersion()), blocking),
                    (app, error) -> new TimeoutLooked(r.appVersion(), error != null || app.isEmpty() ? Optional.empty()
                            : idleSuspension.effective(app.get().instanceTimeout())));
            return Behaviors.same();
        }
        if (idleTimeout.isEmpty() || java.time.Duration.between(lastActive, now).compareTo(idleTimeout.get()) < 0) {
            return Behaviors.same();
        }
        context.getLog().info("instance {}: nobody used it for {}: suspending it", instanceId, idleTimeout.get());
        suspendingForIdleness = true;
        return suspend(context.getSystem().ignoreRef(), Optional.of(InstanceView.IDLE));
    }

    /** While a change runs, later commands wait in the stash: one change at a time per instance. */
    private Behavior<Command> busy(String shown) {
        return Behaviors.receive(Command.class)
                .onMessage(Get.class, get -> {
                    get.replyTo().tell(new Done(view(Optional.of(shown))));
                    return Behaviors.same();
                })
                // What the workload does while a change runs is the change's doing: not news for the history.
                .onMessage(HealthObserved.class, observed -> onHealth(observed, false))
                .onMessage(HealthLooked.class, looked -> onHealthLooked(looked, false))
                .onMessage(ReportProgress.class, this::keepProgress)
                .onMessage(ActivitySeen.class, this::onActivitySeen)
                .onMessage(IdleTick.class, tick -> Behaviors.same())
                .onMessage(CheckIdleness.class, check -> Behaviors.same())
                .onMessage(Finished.class, finished -> {
                    finished.record().ifPresentOrElse(r -> {
                        record = Optional.of(r);
                        removed = Optional.empty();
                        // What was seen of the workload before the change is stale now (a suspend's SIGTERM, exit 143),
                        // but not what the watch saw after the change's own look: it reports only changes, so a newer
                        // observation overwritten here would never come again (a pod that turned Running would stay
                        // PENDING in this actor for good).
                        finished.health().filter(h -> !health.observedAt().isAfter(h.observedAt()))
                                .ifPresent(h -> health = h);
                        directory.tell(new ReleaseWatcher.InstanceApplied(r, effectiveHealth()));
                    }, () -> {
                        boolean gone = finished.operation().removes();
                        if (gone && finished.error().isEmpty()) {
                            record.ifPresent(last -> directory.tell(new ReleaseWatcher.InstanceGone(last)));
                            removed = record.or(() -> removed);
                            record = Optional.empty();
                            health = InstanceHealth.stopped(clock.instant());
                        }
                    });
                    lastError = finished.error();
                    afterChange(finished);
                    announce();
                    if (finished.error().isPresent()) {
                        context.getLog().warn("instance {}: {} failed: {}", instanceId, finished.shown(), finished.error().get());
                        finished.replyTo().tell(new Rejected(finished.problem(), finished.error().get(), view(Optional.empty())));
                    } else {
                        context.getLog().info("instance {}: {} done", instanceId, finished.shown());
                        finished.replyTo().tell(new Done(view(Optional.empty())));
                    }
                    return stash.unstashAll(idle());
                })
                .onAnyMessage(message -> {
                    stash.stash(message);
                    return Behaviors.same();
                })
                .build();
    }

    /** What a finished change means for idleness: a (re)started instance's wait starts now; an idle suspend is told. */
    private void afterChange(Finished finished) {
        boolean idleSuspend = suspendingForIdleness && finished.operation() == InstanceOperation.SUSPEND && finished.error().isEmpty();
        suspendingForIdleness = false;
        lastActive = clock.instant();
        if (idleSuspend) {
            record.ifPresent(r -> activity.suspendedForIdleness(r, idleTimeout.orElse(java.time.Duration.ZERO)));
        }
        Optional<String> visitor = wokenBy;
        wokenBy = Optional.empty();
        if (visitor.isPresent() && finished.operation() == InstanceOperation.RESUME && finished.error().isEmpty()) {
            record.ifPresent(r -> activity.wokenByVisit(r, visitor.get()));
        }
    }

    private Behavior<Command> onStart(Start start) {
        if (record.isPresent()) {
            return reject(start.replyTo(), Problem.CONFLICT, "instance " + instanceId + " exists already");
        }
        InstanceRecord fresh = new InstanceRecord(instanceId, start.app().appId(), start.app().appName(),
                start.app().appVersion(), start.ownerId(), start.ownerFullUser(), start.visibility(), false,
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), InstanceRecord.ReleaseState.PENDING, 0);
        return run(InstanceOperation.START, start.replyTo(), () -> {
            try {
                runtime.install(specs.spec(fresh, start.app()));
            } catch (RuntimeException e) {
                // An install that failed half-way leaves nothing behind: no orphan release, no volumes.
                safeUninstall();
                throw e;
            }
            return runtime.get(instanceId);
        });
    }

    private Behavior<Command> onUpdate(Update update) {
        if (record.isEmpty()) {
            return notFound(update.replyTo());
        }
        InstanceRecord current = record.get();
        if (current.appVersion().equals(update.appVersion())) {
            return reject(update.replyTo(), Problem.CONFLICT, "the instance already runs version " + update.appVersion());
        }
        return run(InstanceOperation.UPDATE, "update to " + update.appVersion(), update.replyTo(), () -> {
            AppLookup.AppRuntime app = apps.find(current.appName(), update.appVersion())
                    .orElseThrow(() -> new AppMissing(current.appName() + " has no version " + update.appVersion()));
            InstanceRecord next = new InstanceRecord(current.instanceId(), app.appId(), app.appName(), app.appVersion(),
                    current.ownerId(), current.ownerFullUser(), current.visibility(), current.suspended(),
                    current.createdAt(), current.releaseState(),
                    current.revision());
            runtime.upgrade(specs.spec(next, app));
            return runtime.get(instanceId);
        });
    }

    private Behavior<Command> onTerminate(Terminate terminate) {
        if (record.isEmpty()) {
            return notFound(terminate.replyTo());
        }
        return run(InstanceOperation.TERMINATE, terminate.replyTo(), () -> {
            runtime.uninstall(instanceId);
            return Optional.empty();
        });
    }

    /**
     * What Kubernetes says wins. A release whose app version no longer exists, or whose first install failed, is
     * reported and removed: it can never run, and must not linger as an orphan.
     */
    private Behavior<Command> onRecordObserved(RecordObserved observed) {
        InstanceRecord r = observed.record();
        if (ReleaseWatcher.ofRemoved(r, removed) || ReleaseWatcher.isStale(r, record)) {
            return Behaviors.same();
        }
        if (record.filter(known -> sameRelease(known, r)).isEmpty()) {
            // News from the runtime (a first look, or a change made with helm): this store's own changes set the
            // record before the watch reports them, so they are not told again.
            activity.releaseObserved(r);
        }
        record = Optional.of(r);
        announce();
        boolean failedInstall = r.releaseState() == InstanceRecord.ReleaseState.FAILED && r.revision() <= 1;
        if (failedInstall) {
            lastError = Optional.of("the install failed; the release was removed");
            return cleanUp("its install failed");
        }
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> apps.find(r.appName(), r.appVersion()).isPresent(), blocking),
                (exists, error) -> new AppChecked(r.appName(), r.appVersion(), error != null || exists));
        return Behaviors.same();
    }

    private Behavior<Command> onAppChecked(AppChecked checked) {
        boolean stillCurrent = record.filter(r -> r.appName().equals(checked.appName())
                && r.appVersion().equals(checked.appVersion())).isPresent();
        if (checked.exists() || !stillCurrent) {
            return Behaviors.same();
        }
        lastError = Optional.of("its app version " + checked.appName() + " " + checked.appVersion()
                + " no longer exists; the instance was removed");
        return cleanUp("its app version " + checked.appName() + " " + checked.appVersion() + " no longer exists");
    }

    private Behavior<Command> cleanUp(String why) {
        context.getLog().warn("instance {}: removing it because {}", instanceId, why);
        record.ifPresent(last -> activity.cleanedUp(last, why));
        ActorRef<Reply> nobody = context.getSystem().ignoreRef();
        return run(InstanceOperation.CLEAN_UP, nobody, () -> {
            runtime.uninstall(instanceId);
            return Optional.empty();
        });
    }

    /** A change that rewrites the record (suspend, resume, visibility): needs the app's spec for the full values. */
    private Behavior<Command> change(InstanceOperation operation, ActorRef<Reply> replyTo,
            java.util.function.Function<InstanceRecord, InstanceRecord> change) {
        if (record.isEmpty()) {
            return notFound(replyTo);
        }
        InstanceRecord next;
        try {
            next = change.apply(record.get());
        } catch (Conflict conflict) {
            return reject(replyTo, Problem.CONFLICT, conflict.getMessage());
        }
        return run(operation, replyTo, () -> {
            AppLookup.AppRuntime app = apps.find(next.appName(), next.appVersion())
                    .orElseThrow(() -> new AppMissing(next.appName() + " " + next.appVersion() + " no longer exists"));
            runtime.upgrade(specs.spec(next, app));
            return runtime.get(instanceId);
        });
    }

    private Behavior<Command> onHealth(HealthObserved observed, boolean tellActivity) {
        InstanceHealth before = health;
        health = observed.health();
        boolean newlyFailed = health.phase() == InstanceHealth.Phase.FAILED && before.phase() != InstanceHealth.Phase.FAILED;
        if (tellActivity && record.filter(r -> !r.suspended()).isPresent()
                && (newlyFailed || health.restarts() > before.restarts())) {
            activity.healthObserved(record.get(), health);
        }
        boolean down = health.phase() != InstanceHealth.Phase.RUNNING || !health.ready();
        if (down && progress.filter(p -> "READY".equals(p.step())).isPresent()) {
            // That launcher's story ended: what its successor (a restarted container) reports is a new one.
            progress = Optional.empty();
        }
        announce();
        return Behaviors.same();
    }

    /**
     * Reports can arrive out of order (retries): keep the newest. Once the instance is ready (the runtime's probe passes
     * and the launcher said READY, or this actor has heard nothing from it), no report moves it back: a launcher that
     * really starts again first makes the runtime's health drop, and a stale or forged "starting" report must not turn
     * a serving instance into a 503.
     */
    private Behavior<Command> onProgress(ReportProgress report) {
        if (isServing() && !"READY".equals(report.progress().step())) {
            context.getLog().debug("instance {}: ignored a progress report that came while it is ready", instanceId);
            return Behaviors.same();
        }
        return keepProgress(report);
    }

    /** During a change the launcher it starts reports at once, maybe before the change's own look at its health. */
    private Behavior<Command> keepProgress(ReportProgress report) {
        if (progress.isEmpty() || report.progress().sequence() >= progress.get().sequence()
                || report.progress().sequence() <= 1) {
            progress = Optional.of(report.progress());
            announce();
            lookWhenReady();
        }
        return Behaviors.same();
    }

    /**
     * The launcher says READY once waved answers and the app registered with it: the runtime's probe passes from then
     * on, but the watch looks only every poll-interval (a second on the embedded default), which the instance would
     * otherwise wait out as STARTING. One look now makes it RUNNING at once; on Kubernetes it finds the pod not ready
     * yet (the kubelet's own probe decides) and changes nothing.
     */
    private void lookWhenReady() {
        boolean ready = progress.filter(p -> "READY".equals(p.step()) && !p.failed()).isPresent();
        if (!ready || record.isEmpty() || (health.phase() == InstanceHealth.Phase.RUNNING && health.ready())) {
            return;
        }
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> runtime.health(instanceId), blocking),
                (looked, error) -> new HealthLooked(Optional.ofNullable(error == null ? looked : null)));
    }

    /** A look that an observation of the watch overtook is stale: the newer one stays. */
    private Behavior<Command> onHealthLooked(HealthLooked looked, boolean tellActivity) {
        if (looked.health().isEmpty() || health.observedAt().isAfter(looked.health().get().observedAt())) {
            return Behaviors.same(); // the watch's next look decides, as it always did
        }
        return onHealth(new HealthObserved(looked.health().get()), tellActivity);
    }

    private boolean isServing() {
        return health.phase() == InstanceHealth.Phase.RUNNING && health.ready()
                && progress.map(p -> "READY".equals(p.step())).orElse(true);
    }

    private Behavior<Command> run(InstanceOperation operation, ActorRef<Reply> replyTo,
            Supplier<Optional<InstanceRecord>> work) {
        return run(operation, operation.label(), replyTo, work);
    }

    /** @param shown what the instance's view says is under way, e.g. "update to 1.2.0" */
    private Behavior<Command> run(InstanceOperation operation, String shown, ActorRef<Reply> replyTo,
            Supplier<Optional<InstanceRecord>> work) {
        if (operation.restartsLauncher()) {
            progress = Optional.empty(); // a new start of the launcher begins a new story
        }
        Supplier<Outcome> workThenHealth = () -> {
            Optional<InstanceRecord> after = work.get();
            return new Outcome(after, after.map(r -> runtime.health(instanceId)));
        };
        context.pipeToSelf(CompletableFuture.supplyAsync(workThenHealth, blocking), (result, error) -> error == null
                ? new Finished(operation, shown, result.record(), result.health(), Optional.empty(), Problem.FAILED, replyTo)
                : new Finished(operation, shown, Optional.empty(), Optional.empty(), Optional.of(rootMessage(error)), problemOf(error),
                        replyTo));
        return busy(shown);
    }

    private void safeUninstall() {
        try {
            runtime.uninstall(instanceId);
        } catch (RuntimeException cleanup) {
            context.getLog().warn("instance {}: could not remove what a failed install left: {}", instanceId, cleanup.toString());
        }
    }

    private Behavior<Command> reply(ActorRef<Reply> replyTo) {
        replyTo.tell(new Done(view(Optional.empty())));
        return Behaviors.same();
    }

    private Behavior<Command> notFound(ActorRef<Reply> replyTo) {
        return reject(replyTo, Problem.NOT_FOUND, "no instance " + instanceId);
    }

    private Behavior<Command> reject(ActorRef<Reply> replyTo, Problem problem, String message) {
        replyTo.tell(new Rejected(problem, message, view(Optional.empty())));
        return Behaviors.same();
    }

    /** Tells every node's route cache when what the router relies on changed. */
    private void announce() {
        InstanceHealth effective = effectiveHealth();
        int now = java.util.Objects.hash(record, effective.phase(), effective.ready(), effective.address());
        if (now != lastAnnounced) {
            lastAnnounced = now;
            changes.tell(Topic.publish(new InstanceChanges.InstanceChanged(instanceId)));
        }
    }

    private InstanceView view(Optional<String> operation) {
        return new InstanceView(instanceId, record, effectiveHealth(), operation, lastError, progress,
                record.flatMap(InstanceRecord::suspendedReason));
    }

    /**
     * Ready means the runtime's probe passes (waved answers) and, when a launcher reports, that it reported READY:
     * waved answers a moment before the app has registered with it, and nobody should be sent there before.
     */
    private InstanceHealth effectiveHealth() {
        boolean launcherNotReady = progress.isPresent() && !"READY".equals(progress.get().step());
        if (health.phase() != InstanceHealth.Phase.RUNNING || !launcherNotReady) {
            return health;
        }
        return new InstanceHealth(InstanceHealth.Phase.STARTING, false, health.restarts(), health.reason(), health.message(),
                health.exitCode(), health.address(), health.events(), health.observedAt());
    }

    /** The same release as far as anyone sees it: version, suspension, visibility. */
    private static boolean sameRelease(InstanceRecord a, InstanceRecord b) {
        return a.createdAt().equals(b.createdAt()) && a.appVersion().equals(b.appVersion())
                && a.suspended() == b.suspended() && a.visibility() == b.visibility();
    }

    private static InstanceRecord conflict(String message) {
        throw new Conflict(message);
    }

    private static Problem problemOf(Throwable error) {
        Throwable t = error.getCause() != null && error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
        if (t instanceof AppMissing) {
            return Problem.APP_NOT_FOUND;
        }
        if (t instanceof io.wavestore.scheduler.secrets.SecretUnavailable) {
            return Problem.SECRET_UNAVAILABLE;
        }
        if (t instanceof RuntimeFailure failure && failure.kind() == RuntimeFailure.Kind.NOT_FOUND) {
            return Problem.NOT_FOUND;
        }
        return Problem.FAILED;
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RuntimeFailure || t instanceof AppMissing
                || t instanceof io.wavestore.scheduler.secrets.SecretUnavailable) {
            return t.getMessage();
        }
        return t.toString();
    }

    /** The command does not fit the instance's state. */
    private static final class Conflict extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Conflict(String message) {
            super(message);
        }
    }

    /** The app version an instance needs is not in the catalog. */
    private static final class AppMissing extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AppMissing(String message) {
            super(message);
        }
    }
}
