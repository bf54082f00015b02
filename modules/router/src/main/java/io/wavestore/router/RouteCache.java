package io.wavestore.router;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * This node's cache of instance routes, in front of another resolver (Caffeine: bounded in size, entries live at most
 * the TTL, one question per instance in flight whoever asks, failed questions never kept). An entry is dropped when
 * its instance changes ({@link #invalidate}, driven by the instance actors' topic) or when it is older than the TTL.
 * An answer still in flight when its instance changes is handed to those who asked, but not kept: its entry is
 * already gone.
 *
 * <p>When cluster membership changes ({@link #refreshAll}: a replica died, left or joined, and actors may be moving)
 * entries are not dropped but refreshed: the next request for an instance is served from its entry at once while the
 * instance's actor is asked again in the background, and a failed or timed-out question leaves the entry serving
 * (stale-while-error). That is what keeps a survivor serving open apps while a dead replica's actors are still being
 * re-homed: an instance's address (its local port, or its ClusterIP service) and its access facts do not change when
 * its actor moves, and every real change of the instance (suspend, terminate, update, visibility, a new address, the
 * actor starting on another node) is announced and drops the entry, stale or not. The bound on staleness: an entry
 * is never served longer than the TTL after it was asked, so only a change whose announcement was lost with a dying
 * replica can go unseen, until the first successful refresh (once the actor runs again) or the TTL at the latest.
 *
 * <p>A provisional answer (read from the runtime while the instance's actor did not answer: {@link RuntimeFallback})
 * is served the same way, and refreshed in the background at each use until an answer of the actor replaces it.
 */
public final class RouteCache implements RouteResolver {

    private final RouteResolver source;
    private final LongSupplier nanoTime;
    /**
     * A failed question is kept as an answer with its error for as long as it takes to remove it, so that Caffeine,
     * which logs every failed load with its stack trace, sees none (a database outage would log one per request).
     */
    private final AsyncCache<String, Answer> entries;
    /** Instances whose entry is being refreshed in the background: one question each at a time. */
    private final Map<String, Boolean> refreshing = new ConcurrentHashMap<>();
    /** Answers to questions asked before (or at) this moment (of {@link #nanoTime}) are refreshed when next used. */
    private volatile long refreshAnswersBefore;
    private volatile boolean refreshRequested;

    /**
     * @param askedAt     when the question was asked, on {@link #nanoTime}'s clock
     * @param provisional the source read it elsewhere than from the instance's actor ({@link RouteResolver#provisional})
     */
    private record Answer(RouteTarget target, Throwable error, long askedAt, boolean provisional) {
    }

    public RouteCache(RouteResolver source, Duration ttl, int maxEntries) {
        this(source, ttl, maxEntries, System::nanoTime);
    }

    RouteCache(RouteResolver source, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.source = source;
        this.nanoTime = nanoTime;
        this.entries = Caffeine.newBuilder()
                .maximumSize(Math.max(1, maxEntries))
                .expireAfterWrite(ttl)
                .ticker(nanoTime::getAsLong)
                // Housekeeping in place: it is cheap, and no task reaches the JDK's common pool (a thread per task on
                // two cores).
                .executor(Runnable::run)
                .buildAsync();
    }

    @Override
    public CompletionStage<RouteTarget> resolve(String instanceId) {
        CompletableFuture<Answer> cached = entries.getIfPresent(instanceId);
        Answer known = good(cached);
        if (known != null && (known.provisional()
                || refreshRequested && known.askedAt() - refreshAnswersBefore <= 0)) {
            refreshInBackground(instanceId, cached);
            return CompletableFuture.completedFuture(known.target());
        }
        return unwrap(instanceId, entries.get(instanceId, (id, executor) -> ask(id)));
    }

    /**
     * Asks again, replacing the entry; if the question fails, a good answer that was there before is put back (it
     * serves others, stale-while-error) while this caller, who asked for a fresh answer, gets the failure.
     */
    @Override
    public CompletionStage<RouteTarget> resolveFresh(String instanceId) {
        CompletableFuture<Answer> previous = entries.getIfPresent(instanceId);
        boolean restorable = good(previous) != null;
        CompletableFuture<Answer> answer = ask(instanceId);
        entries.put(instanceId, answer);
        return answer.thenCompose(done -> {
            if (done.error() != null && restorable) {
                entries.asMap().replace(instanceId, answer, previous);
            }
            return unwrap(instanceId, answer);
        });
    }

    @Override
    public CompletionStage<Boolean> wake(String instanceId, String visitorId, boolean onlyTheNewest) {
        return source.wake(instanceId, visitorId, onlyTheNewest).whenComplete((woken, error) -> invalidate(instanceId));
    }

    /** The instance changed: the next request asks again. */
    public void invalidate(String instanceId) {
        entries.synchronous().invalidate(instanceId);
    }

    /**
     * Membership changed (a node left, died or joined, and actors may be moving): every entry asked for before now is
     * served on, and refreshed in the background when next used.
     */
    public void refreshAll() {
        refreshAnswersBefore = nanoTime.getAsLong();
        refreshRequested = true;
    }

    public long size() {
        entries.synchronous().cleanUp();
        return entries.synchronous().estimatedSize();
    }

    /**
     * Puts an answer in the cache as if it had been asked for: lets a test stand for a replica whose invalidation was
     * lost, to see that a stale route heals on the first failed connection.
     */
    public void remember(RouteTarget target) {
        entries.put(target.instanceId(), CompletableFuture.completedFuture(new Answer(target, null, nanoTime.getAsLong(), false)));
    }

    private void refreshInBackground(String instanceId, CompletableFuture<Answer> stale) {
        if (refreshing.putIfAbsent(instanceId, Boolean.TRUE) != null) {
            return;
        }
        ask(instanceId).whenComplete((answer, never) -> {
            refreshing.remove(instanceId);
            if (answer.error() == null) {
                // Only over the entry it refreshes: one dropped or replaced meanwhile stays as it is now.
                entries.asMap().replace(instanceId, stale, CompletableFuture.completedFuture(answer));
            }
            // Failed (the actor's replica is gone and its shard not yet re-homed): the entry serves on, and the next
            // request asks again.
        });
    }

    private CompletableFuture<Answer> ask(String instanceId) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        long askedAt = nanoTime.getAsLong();
        try {
            source.resolve(instanceId).whenComplete((target, error) -> answer.complete(
                    new Answer(target, error, askedAt, error == null && source.provisional(target))));
        } catch (RuntimeException e) {
            answer.complete(new Answer(null, e, askedAt, false));
        }
        return answer;
    }

    /** The answer of a completed, successful question; null otherwise. */
    private static Answer good(CompletableFuture<Answer> entry) {
        if (entry == null || !entry.isDone()) {
            return null;
        }
        Answer answer = entry.join();
        return answer.error() == null ? answer : null;
    }

    private CompletionStage<RouteTarget> unwrap(String instanceId, CompletableFuture<Answer> answer) {
        return answer.thenCompose(done -> {
            if (done.error() == null) {
                return CompletableFuture.completedFuture(done.target());
            }
            // Failures are not kept: the next request asks again.
            entries.asMap().remove(instanceId, answer);
            return CompletableFuture.failedFuture(done.error());
        });
    }
}
