package io.wavestore.scheduler;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on this thread for something that has no event to wait on, looking again every so often. */
public final class Polling {

    private Polling() {
    }

    /**
     * Returns once {@code done} is true, {@code atMost} has passed, or the thread is interrupted (its flag set
     * again); whether it is done is for the caller to see.
     */
    public static void until(BooleanSupplier done, Duration atMost, Duration every) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
