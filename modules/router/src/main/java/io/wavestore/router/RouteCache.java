package io.wavestore.router;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * This node's cache of instance routes, in front of another resolver. Requests for the same instance share one
 * question while it is in flight. An entry is dropped when its instance changes ({@link #invalidate}, driven by
 * the instance actors' topic), when cluster membership changes ({@link #invalidateAll}), when it is older than
 * the TTL, or when a question fails. An answer still in flight when its instance changes is handed to those who
 * asked, but not kept: its entry is already gone.
 */
public final class RouteCache implements RouteResolver {

    private final RouteResolver source;
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(CompletableFuture<RouteTarget> target, long expiresAt) {
    }

    public RouteCache(RouteResolver source, Duration ttl, int maxEntries) {
        this(source, ttl, maxEntries, System::nanoTime);
    }

    RouteCache(RouteResolver source, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.source = source;
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = Math.max(1, maxEntries);
        this.nanoTime = nanoTime;
    }

    @Override
    public CompletionStage<RouteTarget> resolve(String instanceId) {
        Entry entry = entries.get(instanceId);
        if (entry != null && !expired(entry) && !entry.target().isCompletedExceptionally()) {
            return entry.target();
        }
        return ask(instanceId, entry);
    }

    @Override
    public CompletionStage<RouteTarget> resolveFresh(String instanceId) {
        return ask(instanceId, entries.get(instanceId));
    }

    /** The instance changed: the next request asks again. */
    public void invalidate(String instanceId) {
        entries.remove(instanceId);
    }

    /** Membership changed (a node left or joined, and instances may have moved): forget every route. */
    public void invalidateAll() {
        entries.clear();
    }

    public int size() {
        return entries.size();
    }

    /**
     * Puts an answer in the cache as if it had been asked for: lets a test stand for a replica whose invalidation was
     * lost, to see that a stale route heals on the first failed connection.
     */
    public void remember(RouteTarget target) {
        entries.put(target.instanceId(), new Entry(CompletableFuture.completedFuture(target), nanoTime.getAsLong() + ttlNanos));
    }

    private CompletionStage<RouteTarget> ask(String instanceId, Entry previous) {
        CompletableFuture<RouteTarget> answer = new CompletableFuture<>();
        Entry fresh = new Entry(answer, nanoTime.getAsLong() + ttlNanos);
        Entry winner;
        if (previous == null) {
            Entry raced = entries.putIfAbsent(instanceId, fresh);
            winner = raced == null ? fresh : raced;
        } else {
            winner = entries.replace(instanceId, previous, fresh) ? fresh : entries.computeIfAbsent(instanceId, id -> fresh);
        }
        if (winner != fresh) {
            // Someone else asked at the same moment: share their question.
            return winner.target();
        }
        if (entries.size() > maxEntries) {
            entries.clear();
            entries.put(instanceId, fresh);
        }
        try {
            source.resolve(instanceId).whenComplete((target, error) -> {
                if (error != null) {
                    entries.remove(instanceId, fresh);
                    answer.completeExceptionally(error);
                } else {
                    answer.complete(target);
                }
            });
        } catch (RuntimeException e) {
            entries.remove(instanceId, fresh);
            answer.completeExceptionally(e);
        }
        return answer;
    }

    private boolean expired(Entry entry) {
        return nanoTime.getAsLong() - entry.expiresAt() > 0;
    }
}
