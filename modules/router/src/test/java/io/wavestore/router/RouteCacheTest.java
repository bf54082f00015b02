package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouteCacheTest {

    /** A source whose answers the test completes by hand. */
    static final class Source implements RouteResolver {
        final List<CompletableFuture<RouteTarget>> asked = new ArrayList<>();
        /** Answers read elsewhere than from the instance's actor. */
        final java.util.Set<RouteTarget> provisional = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        @Override
        public CompletionStage<RouteTarget> resolve(String instanceId) {
            CompletableFuture<RouteTarget> answer = new CompletableFuture<>();
            asked.add(answer);
            return answer;
        }

        @Override
        public CompletionStage<RouteTarget> resolveFresh(String instanceId) {
            return resolve(instanceId);
        }

        @Override
        public boolean provisional(RouteTarget target) {
            return provisional.contains(target);
        }
    }

    private final Source source = new Source();
    private final AtomicLong now = new AtomicLong();
    private final RouteCache cache = new RouteCache(source, Duration.ofSeconds(60), 3, now::get);

    private static RouteTarget target(String id) {
        return RouteTarget.missing(id);
    }

    @Test
    void asksOnceForManyAndKeepsTheAnswer() {
        CompletionStage<RouteTarget> first = cache.resolve("i-a");
        CompletionStage<RouteTarget> second = cache.resolve("i-a");
        assertThat(source.asked).hasSize(1);
        source.asked.get(0).complete(target("i-a"));
        assertThat(first.toCompletableFuture().join()).isSameAs(second.toCompletableFuture().join());
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(1);
    }

    // The cache's first question, for id, answered: the cache now holds id's entry.
    private void firstAnswerCached(String id) {
        cache.resolve(id);
        source.asked.get(0).complete(target(id));
    }

    @Test
    void dropsAnEntryWhenItsInstanceChanges() {
        firstAnswerCached("i-a");
        cache.invalidate("i-a");
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(2);
    }

    @Test
    void anAnswerInFlightWhenTheInstanceChangesIsNotKept() {
        CompletionStage<RouteTarget> waiting = cache.resolve("i-a");
        cache.invalidate("i-a");
        source.asked.get(0).complete(target("i-a"));
        assertThat(waiting.toCompletableFuture().join().instanceId()).isEqualTo("i-a");
        cache.resolve("i-a");
        assertThat(source.asked).as("the answer from before the change was not cached").hasSize(2);
    }

    @Test
    void forgetsFailuresAndOldEntries() {
        CompletionStage<RouteTarget> failed = cache.resolve("i-a");
        source.asked.get(0).completeExceptionally(new IllegalStateException("timeout"));
        assertThat(failed.toCompletableFuture().isCompletedExceptionally()).isTrue();
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(2);
        source.asked.get(1).complete(target("i-a"));
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(3);
    }

    @Test
    void freshQuestionsReplaceTheEntry() {
        firstAnswerCached("i-a");
        cache.resolveFresh("i-a");
        assertThat(source.asked).hasSize(2);
        source.asked.get(1).complete(target("i-a"));
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(2);
    }

    @Test
    void staysWithinItsBound() {
        for (String id : List.of("i-a", "i-b", "i-c", "i-d")) {
            cache.resolve(id);
        }
        // The bound holds for the answers it keeps (Caffeine counts a question in flight once it is answered).
        for (int i = 0; i < source.asked.size(); i++) {
            source.asked.get(i).complete(target("i-" + i));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void afterAMembershipChangeAnEntryServesAtOnceAndIsRefreshedInTheBackground() {
        known("i-a", "127.0.0.1:1000");
        cache.refreshAll();
        now.addAndGet(1); // what is asked from now on is newer than the change

        assertThat(address(cache.resolve("i-a"))).as("served from the entry, not waiting").isEqualTo("127.0.0.1:1000");
        assertThat(address(cache.resolve("i-a"))).isEqualTo("127.0.0.1:1000");
        assertThat(source.asked).as("one refresh in flight, whoever asks").hasSize(2);
        source.asked.get(1).complete(routable("i-a", "127.0.0.1:2000"));

        assertThat(address(cache.resolve("i-a"))).isEqualTo("127.0.0.1:2000");
        assertThat(source.asked).as("the refreshed entry is fresh").hasSize(2);
    }

    @Test
    void aRefreshThatFailsLeavesTheEntryServingAndTheNextRequestTriesAgain() {
        refreshUnderWayAfterAMembershipChange("i-a", "127.0.0.1:1000");
        source.asked.get(1).completeExceptionally(new IllegalStateException("ask timed out: the shard is being re-homed"));

        assertThat(address(cache.resolve("i-a"))).as("stale-while-error").isEqualTo("127.0.0.1:1000");
        assertThat(source.asked).as("asked again").hasSize(3);
        source.asked.get(2).complete(routable("i-a", "127.0.0.1:1000"));
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(3);
    }

    @Test
    void aStaleEntryLivesNoLongerThanTheTtl() {
        refreshUnderWayAfterAMembershipChange("i-a", "127.0.0.1:1000");
        source.asked.get(1).completeExceptionally(new IllegalStateException("timeout"));

        now.addAndGet(Duration.ofSeconds(61).toNanos());
        CompletionStage<RouteTarget> waiting = cache.resolve("i-a");
        assertThat(waiting.toCompletableFuture()).as("past the TTL nothing stale is served: it waits for the answer")
                .isNotDone();
    }

    @Test
    void aChangeOfTheInstanceDropsAStaleEntryAndARefreshUnderWayDoesNotBringItBack() {
        refreshUnderWayAfterAMembershipChange("i-a", "127.0.0.1:1000");
        cache.invalidate("i-a");
        source.asked.get(1).complete(routable("i-a", "127.0.0.1:1000"));

        CompletionStage<RouteTarget> waiting = cache.resolve("i-a");
        assertThat(waiting.toCompletableFuture()).as("suspended, terminated or moved: asked, not served stale").isNotDone();
        assertThat(source.asked).hasSize(3);
    }

    @Test
    void aFreshQuestionThatFailsKeepsTheGoodEntryForOthers() {
        known("i-a", "127.0.0.1:1000");
        CompletionStage<RouteTarget> fresh = cache.resolveFresh("i-a");
        source.asked.get(1).completeExceptionally(new IllegalStateException("timeout"));

        assertThat(fresh.toCompletableFuture()).isCompletedExceptionally();
        assertThat(address(cache.resolve("i-a"))).isEqualTo("127.0.0.1:1000");
        assertThat(source.asked).hasSize(2);
    }

    @Test
    void aProvisionalAnswerServesAndIsAskedAgainAtEachUseUntilTheActorAnswers() {
        RouteTarget fromRuntime = routable("i-a", "127.0.0.1:1000");
        source.provisional.add(fromRuntime);
        cache.resolve("i-a");
        source.asked.get(0).complete(fromRuntime);

        assertThat(address(cache.resolve("i-a"))).as("served at once").isEqualTo("127.0.0.1:1000");
        assertThat(source.asked).as("and asked again in the background").hasSize(2);
        RouteTarget stillFromRuntime = routable("i-a", "127.0.0.1:1000");
        source.provisional.add(stillFromRuntime);
        source.asked.get(1).complete(stillFromRuntime);
        assertThat(address(cache.resolve("i-a"))).isEqualTo("127.0.0.1:1000");
        assertThat(source.asked).as("still provisional: asked again").hasSize(3);

        source.asked.get(2).complete(routable("i-a", "127.0.0.1:1000"));
        assertThat(address(cache.resolve("i-a"))).isEqualTo("127.0.0.1:1000");
        assertThat(source.asked).as("the actor's answer is kept like any other").hasSize(3);
    }

    /** A known route, then a membership change, then a request: served from the entry, its refresh in flight. */
    private void refreshUnderWayAfterAMembershipChange(String id, String address) {
        known(id, address);
        cache.refreshAll();
        now.addAndGet(1); // what is asked from now on is newer than the change
        assertThat(address(cache.resolve(id))).isEqualTo(address);
    }

    private void known(String id, String address) {
        cache.resolve(id);
        source.asked.get(source.asked.size() - 1).complete(routable(id, address));
    }

    private static RouteTarget routable(String id, String address) {
        RouteTarget missing = RouteTarget.missing(id);
        return new RouteTarget(id, true, java.util.Optional.of(address), true, missing.phase(), false, missing.facts(),
                missing.routingMode(), missing.appMode(), "app 1", java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty());
    }

    private static String address(CompletionStage<RouteTarget> resolved) {
        CompletableFuture<RouteTarget> done = resolved.toCompletableFuture();
        assertThat(done).as("answered at once").isDone();
        return done.join().address().orElseThrow();
    }
}
