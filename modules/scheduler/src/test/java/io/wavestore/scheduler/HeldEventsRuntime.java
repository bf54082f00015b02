package io.wavestore.scheduler;

import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceRuntime;
import io.wavestore.scheduler.runtime.InstanceSpec;
import io.wavestore.scheduler.runtime.RuntimeFailure;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * An in-memory runtime whose watch is as late as the test wants: every change it would report waits in a queue until
 * {@link #deliver()}, as a poll or an informer that has not caught up yet. Changes can be held half-way ({@link #holdChanges}).
 */
final class HeldEventsRuntime implements InstanceRuntime {

    private final Map<String, InstanceRecord> records = new ConcurrentHashMap<>();
    private final Map<String, InstanceHealth> healths = new ConcurrentHashMap<>();
    private final List<Consumer<InstanceEvents>> held = new ArrayList<>();
    private volatile InstanceEvents watcher;
    private final AtomicInteger failingReads = new AtomicInteger();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile CountDownLatch changesMayFinish = new CountDownLatch(0);
    private volatile CountDownLatch changeUnderWay = new CountDownLatch(1);

    @Override
    public void install(InstanceSpec spec) {
        InstanceRecord r = spec.record();
        put(new InstanceRecord(r.instanceId(), r.appId(), r.appName(), r.appVersion(), r.ownerId(), r.ownerFullUser(), r.visibility(),
                r.suspended(), r.createdAt(), InstanceRecord.ReleaseState.DEPLOYED, 1,
                r.suspendedReason()), health(InstanceHealth.Phase.STARTING));
    }

    @Override
    public void upgrade(InstanceSpec spec) {
        InstanceRecord r = spec.record();
        InstanceRecord old = get(r.instanceId()).orElseThrow(() -> new RuntimeFailure(RuntimeFailure.Kind.NOT_FOUND, "none"));
        changeUnderWay.countDown();
        await(changesMayFinish);
        put(new InstanceRecord(r.instanceId(), r.appId(), r.appName(), r.appVersion(), r.ownerId(), r.ownerFullUser(), r.visibility(),
                r.suspended(), r.createdAt(), InstanceRecord.ReleaseState.DEPLOYED, old.revision() + 1, r.suspendedReason()),
                r.suspended() ? InstanceHealth.stopped(Instant.now()) : health(InstanceHealth.Phase.STARTING));
    }

    @Override
    public void uninstall(String instanceId) {
        records.remove(instanceId);
        healths.remove(instanceId);
        report(events -> events.recordRemoved(instanceId));
    }

    @Override
    public InstanceHealth health(String instanceId) {
        return healths.getOrDefault(instanceId, InstanceHealth.stopped(Instant.now()));
    }

    @Override
    public List<InstanceRecord> list() {
        return List.copyOf(records.values());
    }

    @Override
    public Optional<InstanceRecord> get(String instanceId) {
        reads.incrementAndGet();
        if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new RuntimeFailure(RuntimeFailure.Kind.FAILED, "the cluster does not answer (the test's doing)");
        }
        return Optional.ofNullable(records.get(instanceId));
    }

    /** The next {@code count} reads of one instance fail, as while the cluster's API is unreachable. */
    void failReads(int count) {
        failingReads.set(count);
    }

    /** How many times an instance was read, failed reads included. */
    int reads() {
        return reads.get();
    }

    @Override
    public LogStream logs(String instanceId, int tailLines, boolean follow) {
        throw new UnsupportedOperationException("no logs here");
    }

    @Override
    public Closeable watch(InstanceEvents events) {
        watcher = events;
        return () -> watcher = null;
    }

    @Override
    public String describe() {
        return "instances in memory, reported when the test says";
    }

    /** Reports this record now, ahead of everything held: a look at the runtime from some moments ago. */
    void reportNow(InstanceRecord record) {
        watch().recordChanged(record);
    }

    /** Tells the watch everything it has not reported yet, in order. */
    synchronized void deliver() {
        InstanceEvents events = watch();
        held.forEach(event -> event.accept(events));
        held.clear();
    }

    /** The release watcher's watch: it starts watching on a blocking thread, which a busy machine may run late. */
    private InstanceEvents watch() {
        Awaitility.await("the release watcher's watch").atMost(Duration.ofSeconds(30)).until(() -> watcher != null);
        return watcher;
    }

    /** The next upgrade stops half-way, as a suspend between its stop and its new record, until the test lets it go. */
    void holdChanges() {
        changeUnderWay = new CountDownLatch(1);
        changesMayFinish = new CountDownLatch(1);
    }

    void awaitChangeUnderWay() {
        await(changeUnderWay);
    }

    void letChangesFinish() {
        changesMayFinish.countDown();
    }

    /** The workload changes and the watch has not seen it yet: a look at the runtime finds it, the watch tells later. */
    void changeUnseen(String instanceId, InstanceHealth.Phase phase) {
        healths.put(instanceId, health(phase));
        report(events -> events.healthChanged(instanceId, healths.get(instanceId)));
    }

    static InstanceHealth health(InstanceHealth.Phase phase) {
        return new InstanceHealth(phase, phase == InstanceHealth.Phase.RUNNING, 0, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("127.0.0.1:1"), List.of(), Instant.now());
    }

    private void put(InstanceRecord record, InstanceHealth health) {
        records.put(record.instanceId(), record);
        healths.put(record.instanceId(), health);
        report(events -> {
            events.recordChanged(record);
            events.healthChanged(record.instanceId(), health);
        });
    }

    private synchronized void report(Consumer<InstanceEvents> event) {
        held.add(event);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
