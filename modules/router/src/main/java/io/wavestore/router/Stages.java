package io.wavestore.router;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Pekko's Java API hands out Scala futures as CompletionStages whose plain methods ({@code thenApply},
 * {@code thenCompose}, ...) run their functions asynchronously on the JDK's default executor. On a machine with two
 * cores that executor is a new thread per task: thousands of threads a second under load. Everything the router
 * gets from pekko goes through {@link #direct} first, which continues on the thread that completed it.
 */
final class Stages {

    private Stages() {
    }

    static <T> CompletableFuture<T> direct(CompletionStage<T> stage) {
        CompletableFuture<T> plain = new CompletableFuture<>();
        stage.whenCompleteAsync((value, error) -> {
            if (error != null) {
                plain.completeExceptionally(error);
            } else {
                plain.complete(value);
            }
        }, Runnable::run);
        return plain;
    }
}
