package io.wavestore.router;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The store's answers that cannot change while it runs (its web UI's files: index.html and the content-hashed
 * assets), which the data plane may give itself instead of relaying every request for them to the store's routes:
 * it asks the routes once per path and replays their answer, every header as they set it and a fresh Date. The
 * cheapest and most frequent requests of a browser then do not pay the loopback hop.
 *
 * @param covers which request paths (exactly as requested, no query) have such answers
 * @param served told of each answer the data plane gave itself, with the time it took (the store counts it with the
 *               requests its routes answered)
 */
public record StoreFiles(Predicate<String> covers, Consumer<Duration> served) {

    /** The data plane gives no answer of the store's itself: every store request is relayed. */
    public static final StoreFiles NONE = new StoreFiles(path -> false, took -> { });
}
