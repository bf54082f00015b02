package io.wavestore.scheduler.helm;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;

/** The helm tests' wait for the cluster: Awaitility, with their usual patience and what they wait for in its name. */
final class Await {

    static final Duration DEFAULT = Duration.ofSeconds(60);

    private Await() {
    }

    static <T> T until(String what, Supplier<T> probe, Predicate<T> done) {
        return until(what, DEFAULT, probe, done);
    }

    /** The probe's first value that is done; a time-out names {@code what} and the last value seen. */
    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        return Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(probe::get, done::test);
    }
}
