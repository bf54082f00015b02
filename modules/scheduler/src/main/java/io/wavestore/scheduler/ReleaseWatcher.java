package io.wavestore.scheduler;

import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The one place that watches the runtime, as a cluster singleton: at start it lists every instance the runtime
 * has and brings each InstanceActor up with its record; then it forwards every change it sees (made by the store
 * or by hand with {@code helm}) to the instance's actor. From what it sees it also keeps the directory of all
 * instances, which answers listings and enforces the start limits. If its node goes, another node starts it and
 * it lists again: nothing is lost, because the runtime holds everything.
 */
public final class ReleaseWatcher {

    public sealed interface Command extends CborSerializable {
    }

    /** Lists instances, optionally of one owner or one app; newest first. */
    public record ListInstances(Optional<String> ownerId, Optional<String> appName, ActorRef<Listing> replyTo) implements Command {
    }

    /** Every instance the directory knows, with its phase. */
    public record Listing(List<Entry> entries) implements CborSerializable {
    }

    public record Entry(InstanceRecord record, InstanceHealth.Phase phase, boolean ready) implements CborSerializable {
    }

    /**
     * Asks to start one more instance for an owner. Granted reservations count against the limits until the
     * instance shows up in the runtime or the reservation expires.
     */
    public record ReserveStart(String instanceId, String ownerId, boolean visitor, String appName, String appVersion,
            ActorRef<Reservation> replyTo) implements Command {
    }

    /** {@code limit} names the limit that was hit (empty when granted) and {@code detail} says it for people. */
    public record Reservation(boolean granted, Optional<String> limit, Optional<String> detail) implements CborSerializable {
    }

    /** Is any instance running this app version? (An app version with instances cannot be deleted.) */
    public record CountInstancesOf(String appName, String appVersion, ActorRef<Integer> replyTo) implements Command {
    }

    /** From an InstanceActor: its change is done and the runtime has this record (and the workload this health). */
    public record InstanceApplied(InstanceRecord record, InstanceHealth health) implements Command {
    }

    /** From an InstanceActor: it removed the instance that had this record. */
    public record InstanceGone(InstanceRecord last) implements Command {
    }

    private record Listed(List<InstanceRecord> records) implements Command {
    }

    private record ListFailed(String error) implements Command {
    }

    private record Changed(InstanceRecord record) implements Command {
    }

    private record Removed(String instanceId) implements Command {
    }

    private record HealthChanged(String instanceId, InstanceHealth health) implements Command {
    }

    private record RetryListing() implements Command {
    }

    /** Starts the singleton (on the oldest node) and returns a proxy that reaches it from any node. */
    public static ActorRef<Command> init(ActorSystem<?> system, InstanceRuntime runtime, SchedulerSettings settings, Clock clock) {
        return ClusterSingleton.get(system).init(SingletonActor.of(
                Behaviors.supervise(create(runtime, settings, clock)).onFailure(SupervisorStrategy.restart()),
                "release-watcher"));
    }

    public static Behavior<Command> create(InstanceRuntime runtime, SchedulerSettings settings, Clock clock) {
        return Behaviors.withStash(10_000, stash -> Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            ReleaseWatcher watcher = new ReleaseWatcher(context, stash, runtime, settings, clock);
            return watcher.listing(timers);
        })));
    }

    private final ActorContext<Command> context;
    private final StashBuffer<Command> stash;
    private final InstanceRuntime runtime;
    private final SchedulerSettings settings;
    private final Clock clock;
    private final ClusterSharding sharding;
    private final Map<String, InstanceRecord> records = new HashMap<>();
    private final Map<String, InstanceHealth> healths = new HashMap<>();
    private final Map<String, PendingStart> reservations = new HashMap<>();
    /**
     * Instances an InstanceActor removed before the watch said so: a record of theirs the watch read before the removal
     * and reports after it must not bring them back. Each goes when the watch reports the removal itself.
     */
    private final Map<String, Tombstone> removed = new HashMap<>();
    private Closeable watch;

    private record PendingStart(String ownerId, String appName, String appVersion, Instant expires) {
    }

    private record Tombstone(InstanceRecord last, Instant at) {
    }

    /**
     * Is {@code seen} an older revision than {@code known}? Revisions grow with every change of one instance; an
     * instance created again under the same id is another one (another creation time), never older.
     */
    static boolean isStale(InstanceRecord seen, Optional<InstanceRecord> known) {
        return known.filter(k -> sameInstance(k, seen) && seen.revision() < k.revision()).isPresent();
    }

    /** Is {@code seen} a record of the instance that had {@code last} when it was removed (that record or an older one)? */
    static boolean ofRemoved(InstanceRecord seen, Optional<InstanceRecord> last) {
        return last.filter(l -> sameInstance(l, seen) && seen.revision() <= l.revision()).isPresent();
    }

    private static boolean sameInstance(InstanceRecord a, InstanceRecord b) {
        return a.instanceId().equals(b.instanceId()) && a.createdAt().equals(b.createdAt());
    }

    private ReleaseWatcher(ActorContext<Command> context, StashBuffer<Command> stash, InstanceRuntime runtime,
            SchedulerSettings settings, Clock clock) {
        this.context = context;
        this.stash = stash;
        this.runtime = runtime;
        this.settings = settings;
        this.clock = clock;
        this.sharding = ClusterSharding.get(context.getSystem());
    }

    /** Watch first, then list: a change between the two is seen twice rather than missed. */
    private Behavior<Command> listing(org.apache.pekko.actor.typed.javadsl.TimerScheduler<Command> timers) {
        var blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(InstanceActor.BLOCKING_DISPATCHER));
        ActorRef<Command> self = context.getSelf();
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> {
            awaitInstanceSharding();
            if (watch == null) {
                watch = runtime.watch(new InstanceEvents() {
                    @Override
                    public void recordChanged(InstanceRecord record) {
                        self.tell(new Changed(record));
                    }

                    @Override
                    public void recordRemoved(String instanceId) {
                        self.tell(new Removed(instanceId));
                    }

                    @Override
                    public void healthChanged(String instanceId, InstanceHealth health) {
                        self.tell(new HealthChanged(instanceId, health));
                    }
                });
            }
            return runtime.list();
        }, blocking), (list, error) -> error == null ? new Listed(list) : new ListFailed(error.toString()));

        return Behaviors.receive(Command.class)
                .onMessage(Listed.class, listed -> {
                    Instant started = clock.instant();
                    listed.records().forEach(this::track);
                    context.getLog().info("release watcher: {} instances in {} rebuilt ({} ms)", listed.records().size(),
                            runtime.describe(), Duration.between(started, clock.instant()).toMillis());
                    return stash.unstashAll(watching());
                })
                .onMessage(ListFailed.class, failed -> {
                    context.getLog().warn("release watcher: cannot list instances in {}: {}; retrying", runtime.describe(),
                            failed.error());
                    timers.startSingleTimer(new RetryListing(), Duration.ofSeconds(3));
                    return Behaviors.same();
                })
                .onMessage(RetryListing.class, retry -> listing(timers))
                .onAnyMessage(message -> {
                    stash.stash(message);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> watching() {
        return Behaviors.receive(Command.class)
                .onMessage(Changed.class, changed -> {
                    InstanceRecord r = changed.record();
                    Optional<InstanceRecord> gone = Optional.ofNullable(removed.get(r.instanceId())).map(Tombstone::last);
                    if (ofRemoved(r, gone)) {
                        return Behaviors.same();
                    }
                    removed.remove(r.instanceId()); // if it was there: the id is in use again
                    if (!isStale(r, Optional.ofNullable(records.get(r.instanceId())))) {
                        track(r);
                    }
                    return Behaviors.same();
                })
                .onMessage(Removed.class, gone -> {
                    removed.remove(gone.instanceId());
                    records.remove(gone.instanceId());
                    healths.remove(gone.instanceId());
                    instance(gone.instanceId()).tell(new InstanceActor.RecordRemoved());
                    return Behaviors.same();
                })
                .onMessage(InstanceApplied.class, applied -> {
                    InstanceRecord r = applied.record();
                    if (!isStale(r, Optional.ofNullable(records.get(r.instanceId())))) {
                        records.put(r.instanceId(), r);
                        healths.put(r.instanceId(), applied.health());
                        reservations.remove(r.instanceId());
                    }
                    return Behaviors.same();
                })
                .onMessage(InstanceGone.class, gone -> {
                    String id = gone.last().instanceId();
                    Instant now = clock.instant();
                    // The watch reports the removal within moments; a tombstone it never clears (it saw the removal first) goes later.
                    removed.values().removeIf(t -> t.at().isBefore(now.minus(Duration.ofMinutes(10))));
                    InstanceRecord current = records.get(id);
                    if (current == null || ofRemoved(current, Optional.of(gone.last()))) {
                        records.remove(id);
                        healths.remove(id);
                        removed.put(id, new Tombstone(gone.last(), now));
                    }
                    return Behaviors.same();
                })
                .onMessage(HealthChanged.class, changed -> {
                    healths.put(changed.instanceId(), changed.health());
                    instance(changed.instanceId()).tell(new InstanceActor.HealthObserved(changed.health()));
                    return Behaviors.same();
                })
                .onMessage(ListInstances.class, list -> {
                    list.replyTo().tell(new Listing(records.values().stream()
                            .filter(r -> list.ownerId().map(r.ownerId()::equals).orElse(true))
                            .filter(r -> list.appName().map(r.appName()::equals).orElse(true))
                            .sorted(Comparator.comparing(InstanceRecord::createdAt).reversed()
                                    .thenComparing(InstanceRecord::instanceId))
                            .map(r -> {
                                InstanceHealth h = healths.get(r.instanceId());
                                return new Entry(r, h == null ? InstanceHealth.Phase.STOPPED : h.phase(), h != null && h.ready());
                            })
                            .toList()));
                    return Behaviors.same();
                })
                .onMessage(CountInstancesOf.class, count -> {
                    // Starts granted but not seen in the runtime yet count too: their install may be under way.
                    Instant now = clock.instant();
                    long starting = reservations.values().stream()
                            .filter(p -> p.expires().isAfter(now))
                            .filter(p -> p.appName().equals(count.appName()) && p.appVersion().equals(count.appVersion()))
                            .count();
                    count.replyTo().tell((int) (starting + records.values().stream()
                            .filter(r -> r.appName().equals(count.appName()) && r.appVersion().equals(count.appVersion()))
                            .count()));
                    return Behaviors.same();
                })
                .onMessage(ReserveStart.class, this::onReserveStart)
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, stop -> {
                    closeWatch();
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onReserveStart(ReserveStart reserve) {
        Instant now = clock.instant();
        reservations.values().removeIf(pending -> pending.expires().isBefore(now));
        long owned = records.values().stream().filter(r -> r.ownerId().equals(reserve.ownerId())).count()
                + reservations.values().stream().filter(p -> p.ownerId().equals(reserve.ownerId())).count();
        int limit = reserve.visitor() ? settings.maxInstancesPerVisitor() : settings.maxInstancesPerUser();
        long starting = healths.values().stream().filter(h -> h.phase() == InstanceHealth.Phase.PENDING
                || h.phase() == InstanceHealth.Phase.STARTING).count() + reservations.size();
        if (owned >= limit) {
            String which = reserve.visitor() ? "instances-per-visitor" : "instances-per-user";
            reserve.replyTo().tell(new Reservation(false, Optional.of(which), Optional.of(
                    "you have " + owned + " instances and the limit is " + limit + " (" + which + "); terminate one first")));
        } else if (starting >= settings.maxConcurrentStarts()) {
            reserve.replyTo().tell(new Reservation(false, Optional.of("concurrent-starts"), Optional.of(
                    starting + " instances are starting and the store starts at most " + settings.maxConcurrentStarts()
                            + " at once (concurrent-starts); try again in a moment")));
        } else {
            reservations.put(reserve.instanceId(), new PendingStart(reserve.ownerId(), reserve.appName(), reserve.appVersion(),
                    now.plus(settings.startReservation())));
            reserve.replyTo().tell(new Reservation(true, Optional.empty(), Optional.empty()));
        }
        return Behaviors.same();
    }

    /**
     * Instance actors tell this watcher of their changes, so sharding starts after it on each node; a listing that
     * finds instances before sharding is up could not hand them on. Blocking: called on the blocking dispatcher.
     */
    private void awaitInstanceSharding() {
        var classic = org.apache.pekko.cluster.sharding.ClusterSharding.get(
                org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(context.getSystem()));
        Polling.until(() -> classic.getShardTypeNames().contains(InstanceActor.TYPE_KEY.name()), Duration.ofSeconds(30),
                Duration.ofMillis(20));
    }

    private void track(InstanceRecord record) {
        records.put(record.instanceId(), record);
        reservations.remove(record.instanceId());
        instance(record.instanceId()).tell(new InstanceActor.RecordObserved(record));
    }

    private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<InstanceActor.Command> instance(String instanceId) {
        return sharding.entityRefFor(InstanceActor.TYPE_KEY, instanceId);
    }

    private void closeWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                context.getLog().warn("release watcher: closing the watch failed: {}", e.toString());
            }
        }
    }
}
