package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RuntimeFallbackTest {

    /** The actor's time to answer is up when the test runs what was put off. */
    private final List<Runnable> putOff = new ArrayList<>();
    private final List<String> runtimeReads = new ArrayList<>();
    private Optional<RouteTarget> inRuntime = Optional.empty();
    private final RuntimeFallback fallback = new RuntimeFallback(putOff::add, id -> {
        runtimeReads.add(id);
        return CompletableFuture.completedFuture(inRuntime);
    });

    @Test
    void theActorsAnswerInTimeIsTheAnswerAndTheRuntimeIsNotRead() {
        CompletableFuture<RouteTarget> actor = new CompletableFuture<>();
        CompletableFuture<RouteTarget> answer = fallback.resolve("i-a", actor);
        RouteTarget fromActor = routable("i-a", "127.0.0.1:1000");
        actor.complete(fromActor);
        timeIsUp();

        assertThat(answer).isCompletedWithValue(fromActor);
        assertThat(runtimeReads).isEmpty();
        assertThat(fallback.provided(fromActor)).isFalse();
    }

    @Test
    void anActorThatDoesNotAnswerInTimeIsStoodInForByTheRuntimesRoute() {
        RouteTarget fromRuntime = routable("i-a", "127.0.0.1:1000");
        inRuntime = Optional.of(fromRuntime);
        CompletableFuture<RouteTarget> actor = new CompletableFuture<>();
        CompletableFuture<RouteTarget> answer = fallback.resolve("i-a", actor);
        assertThat(answer).as("the actor has its time first").isNotDone();

        timeIsUp();
        assertThat(answer).isCompletedWithValue(fromRuntime);
        assertThat(fallback.provided(answer.join())).as("provisional: asked again when next used").isTrue();
        actor.complete(routable("i-a", "127.0.0.1:1000"));
        assertThat(runtimeReads).containsExactly("i-a");
    }

    @Test
    void aRouteThatCannotTakeTrafficWaitsForTheActor() {
        RouteTarget suspended = routable("i-a", "127.0.0.1:1000");
        inRuntime = Optional.of(new RouteTarget(suspended.instanceId(), true, suspended.address(), true, suspended.phase(),
                true, suspended.facts(), suspended.routingMode(), suspended.appMode(), suspended.appTitle(),
                Optional.empty(), Optional.empty(), Optional.empty()));
        CompletableFuture<RouteTarget> actor = new CompletableFuture<>();
        CompletableFuture<RouteTarget> answer = fallback.resolve("i-a", actor);
        timeIsUp();

        assertThat(answer).as("a suspended instance needs the actor (to wake it)").isNotDone();
        RouteTarget fromActor = routable("i-a", "127.0.0.1:2000");
        actor.complete(fromActor);
        assertThat(answer).isCompletedWithValue(fromActor);
    }

    @Test
    void anInstanceTheRuntimeDoesNotHaveWaitsForTheActorAndItsFailure() {
        CompletableFuture<RouteTarget> actor = new CompletableFuture<>();
        CompletableFuture<RouteTarget> answer = fallback.resolve("i-a", actor);
        timeIsUp();
        assertThat(answer).isNotDone();

        actor.completeExceptionally(new IllegalStateException("ask timed out"));
        assertThat(answer).isCompletedExceptionally();
        assertThat(runtimeReads).as("read once").containsExactly("i-a");
    }

    @Test
    void anActorThatFailsAtOnceIsStoodInForWithoutWaiting() {
        RouteTarget fromRuntime = routable("i-a", "127.0.0.1:1000");
        inRuntime = Optional.of(fromRuntime);
        CompletableFuture<RouteTarget> answer = fallback.resolve("i-a",
                CompletableFuture.failedFuture(new IllegalStateException("no shard region yet")));

        assertThat(answer).isCompletedWithValue(fromRuntime);
        timeIsUp();
        assertThat(runtimeReads).containsExactly("i-a");
    }

    @Test
    void aFailedRuntimeReadLeavesTheActorsAnswer() {
        RuntimeFallback failing = new RuntimeFallback(putOff::add,
                id -> CompletableFuture.failedFuture(new IllegalStateException("Kubernetes API unreachable")));
        CompletableFuture<RouteTarget> actor = new CompletableFuture<>();
        CompletableFuture<RouteTarget> answer = failing.resolve("i-a", actor);
        timeIsUp();
        RouteTarget fromActor = routable("i-a", "127.0.0.1:1000");
        actor.complete(fromActor);

        assertThat(answer).isCompletedWithValue(fromActor);
    }

    private void timeIsUp() {
        List<Runnable> due = List.copyOf(putOff);
        putOff.clear();
        due.forEach(Runnable::run);
    }

    static RouteTarget routable(String id, String address) {
        RouteTarget missing = RouteTarget.missing(id);
        return new RouteTarget(id, true, Optional.of(address), true, missing.phase(), false, missing.facts(),
                missing.routingMode(), missing.appMode(), "app 1", Optional.empty(), Optional.empty(), Optional.empty());
    }
}
