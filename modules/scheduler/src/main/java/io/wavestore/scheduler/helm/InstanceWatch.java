package io.wavestore.scheduler.helm;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@link InstanceEvents} what the cluster says: one informer on the namespace's Helm release Secrets (records),
 * one on its instance pods (health). Informers list first (every existing instance is reported once, which is how
 * the store rebuilds its view after a restart), then watch, and list again when a watch expires. Only changes are
 * reported: a record when it differs from the last one reported for its instance, a health when it differs in
 * more than its observation time.
 */
final class InstanceWatch implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceWatch.class);
    private static final String BY_NAME = "releaseName";
    private static final String BY_INSTANCE = "instanceId";

    private final HelmRuntime runtime;
    private final InstanceEvents events;
    private final Map<String, InstanceRecord> records = new ConcurrentHashMap<>();
    private final Map<String, InstanceHealth> healths = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Secret> releases;
    private final SharedIndexInformer<Pod> pods;

    InstanceWatch(HelmRuntime runtime, InstanceEvents events) {
        this.runtime = runtime;
        this.events = events;
        // Without superseded revisions: a revision that becomes superseded leaves the watch as a deletion, and the
        // newest revision of each release is never superseded.
        this.releases = runtime.currentReleaseSecrets().runnableInformer(0);
        this.pods = runtime.instancePods().runnableInformer(0);
        releases.addIndexers(Map.of(BY_NAME, secret -> ReleaseSecrets.isRelease(secret)
                ? List.of(ReleaseSecrets.releaseName(secret)) : List.of()));
        pods.addIndexers(Map.of(BY_INSTANCE, pod -> instanceId(pod) == null ? List.of() : List.of(instanceId(pod))));
        releases.addEventHandler(handler(secret -> ReleaseSecrets.isRelease(secret) ? ReleaseSecrets.releaseName(secret) : null,
                this::releaseChanged));
        pods.addEventHandler(handler(InstanceWatch::instanceId, this::podsChanged));
    }

    /** Starts both informers and waits for their first lists; every instance there is has been reported then. */
    void start(Duration timeout) {
        try {
            releases.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            pods.start().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while starting to watch", e);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("cannot watch the releases and pods: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        releases.stop();
        pods.stop();
    }

    private void releaseChanged(String name) {
        List<Secret> revisions = releases.getIndexer().byIndex(BY_NAME, name);
        Optional<InstanceRecord> record = Optional.ofNullable(ReleaseSecrets.newestByName(revisions).get(name))
                .flatMap(ReleaseSecrets::decode)
                .flatMap(HelmRelease::record);
        if (record.isPresent()) {
            InstanceRecord previous = records.put(name, record.get());
            if (!record.get().equals(previous)) {
                events.recordChanged(record.get());
            }
        } else if (records.remove(name) != null) {
            events.recordRemoved(name);
        }
    }

    private void podsChanged(String instanceId) {
        List<Pod> instancePods = pods.getIndexer().byIndex(BY_INSTANCE, instanceId);
        InstanceHealth health = runtime.health(instanceId, instancePods, Instant.now());
        InstanceHealth previous = healths.put(instanceId, health);
        if (previous == null || !PodHealth.timeless(previous).equals(PodHealth.timeless(health))) {
            events.healthChanged(instanceId, health);
        }
    }

    private static String instanceId(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(HelmRuntime.INSTANCE_LABEL);
    }

    /** Calls {@code changed} with the key of every added, updated or deleted object; a failure is logged, not thrown. */
    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, String> key,
                                                                          Consumer<String> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                call(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                call(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                call(obj);
            }

            private void call(T obj) {
                String k = key.apply(obj);
                if (k == null) {
                    return;
                }
                try {
                    changed.accept(k);
                } catch (RuntimeException e) {
                    LOG.warn("Cannot report the change of {} {}: {}", obj.getKind(), obj.getMetadata().getName(),
                            e.toString(), e);
                }
            }
        };
    }
}
