package io.wavestore.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells the store how the start goes. Every report is logged; when a progress URL is set it is also posted, in
 * order, from one background thread, so a slow store never slows the start. A post that fails is retried a few
 * times and then given up: progress is for people, and an app that runs must not die because the store was
 * briefly away.
 */
final class ProgressReporter implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final long[] RETRY_DELAYS_MS = {500, 1_000, 2_000};

    private final String instanceId;
    private final Optional<URI> url;
    private final java.util.function.Supplier<Optional<String>> token;
    private final HttpClient client;
    private final Clock clock;
    private final ExecutorService sender;
    private final AtomicLong sequence = new AtomicLong();
    private volatile List<String> routes = List.of();
    private volatile String readyMessage;
    private volatile Future<?> last;

    ProgressReporter(String instanceId, Optional<URI> url, Optional<String> token, HttpClient client, Clock clock) {
        this(instanceId, url, () -> token, client, clock);
    }

    /** @param token the credential as it is when a report is sent (it is renewed while the launcher runs) */
    ProgressReporter(String instanceId, Optional<URI> url, java.util.function.Supplier<Optional<String>> token,
            HttpClient client, Clock clock) {
        this.instanceId = instanceId;
        this.url = url;
        this.token = token;
        this.client = client;
        this.clock = clock;
        this.sender = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "progress");
            t.setDaemon(true);
            return t;
        });
    }

    void running(Step step, String message) {
        report(step, ProgressReport.State.RUNNING, message, List.of());
    }

    void ready(String message) {
        readyMessage = message;
        report(Step.READY, ProgressReport.State.DONE, message, List.of());
    }

    /** Ready, with something to add that is not worth failing for (the app registered no route yet). */
    void readyNotice(String message) {
        report(Step.READY, ProgressReport.State.DONE, message, List.of());
    }

    /** The Wave routes the app registered: every report from now on names them; once ready, the store hears at once. */
    void routes(List<String> now) {
        routes = List.copyOf(now);
        String ready = readyMessage;
        if (ready != null) {
            report(Step.READY, ProgressReport.State.DONE, ready, List.of());
        }
    }

    void failed(Step step, String message, List<String> outputTail) {
        report(step, ProgressReport.State.FAILED, message, outputTail);
    }

    private void report(Step step, ProgressReport.State state, String message, List<String> outputTail) {
        ProgressReport report = new ProgressReport(instanceId, step, state, message, outputTail,
                sequence.incrementAndGet(), clock.instant(), routes);
        Log.info(step.name() + " " + state.json() + ": " + message);
        if (url.isPresent()) {
            last = sender.submit(() -> post(report));
        }
    }

    /** Waits up to {@code timeout} for the reports made so far to be posted (or given up); true when they were. */
    boolean flush(Duration timeout) {
        Future<?> pending = last;
        if (pending == null) {
            return true;
        }
        try {
            pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }

    private void post(ProgressReport report) {
        HttpRequest request = HttpRequest.newBuilder(url.orElseThrow()).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token.get().orElse(""))
                .POST(HttpRequest.BodyPublishers.ofString(report.toJson())).build();
        for (int attempt = 0; ; attempt++) {
            String problem;
            try {
                HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    return;
                }
                problem = "HTTP " + status;
                if (status / 100 == 4 && status != 408 && status != 429) {
                    Log.info("the store refused progress report " + report.sequence() + " (" + problem
                            + "); not retrying it");
                    return;
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt >= RETRY_DELAYS_MS.length) {
                Log.info("could not send progress report " + report.sequence() + " to the store (" + problem
                        + "); giving it up");
                return;
            }
            try {
                Thread.sleep(RETRY_DELAYS_MS[attempt]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
