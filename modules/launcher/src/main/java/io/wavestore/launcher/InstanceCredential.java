package io.wavestore.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The instance's credential, kept alive while the launcher runs: the store issues short-lived ones, and a launcher that
 * runs for days still has to report how its instance ended. Every {@code WAVESTORE_CREDENTIAL_RENEW_INTERVAL} it trades
 * the one it has for a fresh one at {@code POST .../credential}, beside the progress URL. A renewal that fails keeps
 * the old credential and is tried again at the next interval.
 */
final class InstanceCredential implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final Optional<URI> renewUrl;
    private final HttpClient client;
    private volatile Optional<String> token;
    private ScheduledExecutorService renewer;

    InstanceCredential(Optional<String> token, Optional<URI> progressUrl, HttpClient client) {
        this.token = token;
        this.client = client;
        this.renewUrl = progressUrl.filter(u -> u.getPath() != null && u.getPath().endsWith("/progress"))
                .map(u -> u.resolve("credential"));
    }

    Optional<String> current() {
        return token;
    }

    /** Renews now; true when the store gave a fresh credential. */
    boolean renew() throws InterruptedException {
        if (renewUrl.isEmpty() || token.isEmpty()) {
            return false;
        }
        HttpRequest request = HttpRequest.newBuilder(renewUrl.get()).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token.get()).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode fresh = response.statusCode() == 200 ? JSON.readTree(response.body()).get("token") : null;
            if (fresh == null || !fresh.isTextual() || !fresh.textValue().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                Log.info("the store did not renew the instance's credential (HTTP " + response.statusCode() + ")");
                return false;
            }
            token = Optional.of(fresh.textValue());
            return true;
        } catch (IOException e) {
            Log.info("could not renew the instance's credential: " + e.getMessage());
            return false;
        }
    }

    /** Renews every {@code interval} from now on, in the background. */
    void renewEvery(Duration interval) {
        if (renewUrl.isEmpty() || token.isEmpty()) {
            return;
        }
        renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "credential-renewal");
            thread.setDaemon(true);
            return thread;
        });
        renewer.scheduleWithFixedDelay(() -> {
            try {
                renew();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (renewer != null) {
            renewer.shutdownNow();
        }
    }
}
