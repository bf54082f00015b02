package io.wavestore.server.management;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A readiness check's answer. A check that fails with a reason (rather than answering false) puts that reason into
 * /ready's 503 body: pekko-management names a Java check only by its lambda's class.
 */
final class NotReady extends RuntimeException {

    private NotReady(String reason) {
        super(reason, null, false, false);
    }

    static CompletionStage<Boolean> unless(boolean ready, String reason) {
        return ready ? CompletableFuture.completedFuture(true) : CompletableFuture.failedFuture(new NotReady(reason));
    }
}
