package io.wavestore.router;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A route read from the runtime (the Helm release, the local record: the source of truth) when the instance's actor
 * does not answer in time. After a replica's kill -9 its instances' actors are homeless until the others have downed
 * it and re-homed its shards (10-16 s measured, loadtest/replica-failover.md); a survivor that never cached such an
 * instance's route would make its visitors wait that long. The instance itself runs on meanwhile, at an address that
 * does not depend on its actor, so the runtime can say where it is and who may open it.
 *
 * <p>Only a route that can take traffic now is served this way: anything else (missing, suspended, starting, failed)
 * needs the actor's view (progress, wake, errors) and waits for it as before. Writes never come here. An answer read
 * from the runtime is {@link #provided provisional}: the route cache serves it and asks again (the actor first) on its
 * next use, until the actor answers.
 */
final class RuntimeFallback {

    private final Executor afterDelay;
    private final Function<String, CompletionStage<Optional<RouteTarget>>> readRuntime;
    /** The answers this fallback gave, by identity, while anyone holds them. */
    private final Cache<RouteTarget, Boolean> provided = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

    /**
     * @param afterDelay  runs a task once the actor has had its time (e.g. 1 s) to answer
     * @param readRuntime the instance's route as the runtime has it: empty when there is no such instance or it cannot
     *                    take traffic now
     */
    RuntimeFallback(Executor afterDelay, Function<String, CompletionStage<Optional<RouteTarget>>> readRuntime) {
        this.afterDelay = afterDelay;
        this.readRuntime = readRuntime;
    }

    /**
     * The actor's answer if it comes in time; else (or if asking it failed) the runtime's, if that is a route that takes
     * traffic; else the actor's answer whenever it comes, or its failure.
     */
    CompletableFuture<RouteTarget> resolve(String instanceId, CompletionStage<RouteTarget> fromActor) {
        CompletableFuture<RouteTarget> answer = new CompletableFuture<>();
        CompletableFuture<Void> fallbackDone = new CompletableFuture<>();
        AtomicBoolean asked = new AtomicBoolean();
        Runnable fallback = () -> {
            if (answer.isDone() || !asked.compareAndSet(false, true)) {
                return;
            }
            read(instanceId).whenComplete((read, error) -> {
                read.filter(RouteTarget::routable).ifPresent(target -> {
                    provided.put(target, Boolean.TRUE);
                    answer.complete(target);
                });
                fallbackDone.complete(null);
            });
        };
        fromActor.whenComplete((target, error) -> {
            if (error == null) {
                answer.complete(target);
                return;
            }
            // A failure is the actor's answer only once the runtime has had its say.
            fallback.run();
            fallbackDone.whenComplete((none, never) -> answer.completeExceptionally(error));
        });
        afterDelay.execute(fallback);
        return answer;
    }

    /** The target was read from the runtime, not given by the instance's actor. */
    boolean provided(RouteTarget target) {
        return provided.getIfPresent(target) != null;
    }

    /** The runtime's answer; a failed read counts as none (the actor's answer is still awaited). */
    private CompletableFuture<Optional<RouteTarget>> read(String instanceId) {
        CompletableFuture<Optional<RouteTarget>> read = new CompletableFuture<>();
        try {
            readRuntime.apply(instanceId).whenComplete((found, error) ->
                    read.complete(error == null && found != null ? found : Optional.empty()));
        } catch (RuntimeException e) {
            read.complete(Optional.empty());
        }
        return read;
    }
}
