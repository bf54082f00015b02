package io.wavestore.router;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * This node's cache of instance routes, in front of another resolver (Caffeine: bounded in size, entries live at most
 * the TTL, one question per instance in flight whoever asks, failed questions never kept). An entry is dropped when
 * its instance changes ({@link #invalidate}, driven by the instance actors' topic), when cluster membership changes
 * ({@link #invalidateAll}), or when it is older than the TTL. An answer still in flight when its instance changes is
 * handed to those who asked, but not kept: its entry is already gone.
 */
public final class RouteCache implements RouteResolver {

    private final RouteResolver source;
    /**
     * A failed question is kept as an answer with its error for as long as it takes to remove it, so that Caffeine,
     * which logs every failed load with its stack trace, sees none (a database outage would log one per request).
     */
    private final AsyncCache<String, Answer> entries;

    private record Answer(RouteTarget target, Throwable error) {
    }

    public RouteCache(RouteResolver source, Duration ttl, int maxEntries) {
        this(source, ttl, maxEntries, System::nanoTime);
    }

    RouteCache(RouteResolver source, Duration ttl, int maxEntries, LongSupplier nanoTime) {
        this.source = source;
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
        return unwrap(instanceId, entries.get(instanceId, (id, executor) -> ask(id)));
    }

    @Override
    public CompletionStage<RouteTarget> resolveFresh(String instanceId) {
        CompletableFuture<Answer> answer = ask(instanceId);
        entries.put(instanceId, answer);
        return unwrap(instanceId, answer);
    }

    @Override
    public CompletionStage<Boolean> wake(String instanceId, String visitorId) {
        return source.wake(instanceId, visitorId).whenComplete((woken, error) -> invalidate(instanceId));
    }

    /** The instance changed: the next request asks again. */
    public void invalidate(String instanceId) {
        entries.synchronous().invalidate(instanceId);
    }

    /** Membership changed (a node left or joined, and instances may have moved): forget every route. */
    public void invalidateAll() {
        entries.synchronous().invalidateAll();
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
        entries.put(target.instanceId(), CompletableFuture.completedFuture(new Answer(target, null)));
    }

    private CompletableFuture<Answer> ask(String instanceId) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        try {
            source.resolve(instanceId).whenComplete((target, error) -> answer.complete(new Answer(target, error)));
        } catch (RuntimeException e) {
            answer.complete(new Answer(null, e));
        }
        return answer;
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
