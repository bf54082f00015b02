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

    @Test
    void dropsAnEntryWhenItsInstanceChanges() {
        cache.resolve("i-a");
        source.asked.get(0).complete(target("i-a"));
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
        cache.resolve("i-a");
        source.asked.get(0).complete(target("i-a"));
        cache.resolveFresh("i-a");
        assertThat(source.asked).hasSize(2);
        source.asked.get(1).complete(target("i-a"));
        cache.resolve("i-a");
        assertThat(source.asked).hasSize(2);
    }

    @Test
    void staysWithinItsBoundAndForgetsEverythingOnMembershipChanges() {
        for (String id : List.of("i-a", "i-b", "i-c", "i-d")) {
            cache.resolve(id);
        }
        // The bound holds for the answers it keeps (Caffeine counts a question in flight once it is answered).
        for (int i = 0; i < source.asked.size(); i++) {
            source.asked.get(i).complete(target("i-" + i));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
        cache.invalidateAll();
        assertThat(cache.size()).isZero();
    }
}
