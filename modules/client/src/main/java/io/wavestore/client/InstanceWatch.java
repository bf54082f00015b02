package io.wavestore.client;

import io.wavestore.client.model.Instance;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Polls one instance until it is where the caller wants it. The API has no change stream for one instance, and a
 * poll every half second is what the web UI does too.
 */
record InstanceWatch(WavestoreClient client, String id, Duration every) {

    Instance await(Predicate<Instance> condition, Duration within, Consumer<Instance> onChange) {
        Instant deadline = Instant.now().plus(within);
        Instance last = null;
        while (true) {
            Instance now = client.instance(id);
            if (last == null || !sameState(last, now)) {
                onChange.accept(now);
            }
            last = now;
            if (condition.test(now)) {
                return now;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new WavestoreException("instance " + id + " is still " + now.phase() + " after "
                        + within.toSeconds() + " s");
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WavestoreException("interrupted while waiting for instance " + id, e);
            }
        }
    }

    /** What a watcher cares about: phase, readiness, the launcher's step and state, the reason it is not running. */
    private static boolean sameState(Instance a, Instance b) {
        return Objects.equals(a.phase(), b.phase()) && a.ready() == b.ready() && a.suspended() == b.suspended()
                && Objects.equals(a.reason(), b.reason())
                && Objects.equals(a.progress() == null ? null : a.progress().step(), b.progress() == null ? null : b.progress().step())
                && Objects.equals(a.progress() == null ? null : a.progress().state(), b.progress() == null ? null : b.progress().state());
    }
}
