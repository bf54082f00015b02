package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher trades its credential for a fresh one beside the progress URL, and keeps the old one when it cannot. */
class InstanceCredentialTest {

    private HttpServer store;
    private final List<String> presented = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startAStore() throws IOException {
        store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        store.createContext("/api/v1/instances/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            presented.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + authorization);
            boolean genuine = "Bearer old".equals(authorization)
                    && exchange.getRequestURI().getPath().equals("/api/v1/instances/i-1/credential");
            byte[] body = (genuine ? "{\"token\":\"fresh\",\"expiresInSeconds\":3600}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(genuine ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        store.start();
    }

    @AfterEach
    void stopTheStore() {
        store.stop(0);
    }

    @Test
    void theStoresFreshCredentialReplacesTheOldOne() throws InterruptedException {
        try (InstanceCredential credential = credential("old", "/api/v1/instances/i-1/progress")) {
            assertThat(credential.renew()).isTrue();
            assertThat(credential.current()).contains("fresh");
        }
        assertThat(presented).containsExactly("POST /api/v1/instances/i-1/credential Bearer old");
    }

    @Test
    void aRefusedRenewalKeepsTheCredentialItHas() throws InterruptedException {
        try (InstanceCredential credential = credential("stale", "/api/v1/instances/i-1/progress")) {
            assertThat(credential.renew()).isFalse();
            assertThat(credential.current()).contains("stale");
        }
    }

    @Test
    void withoutAProgressUrlThereIsNothingToRenewAt() throws InterruptedException {
        try (InstanceCredential credential = new InstanceCredential(Optional.of("old"), Optional.empty(),
                HttpClient.newHttpClient())) {
            assertThat(credential.renew()).isFalse();
        }
        assertThat(presented).isEmpty();
    }

    private InstanceCredential credential(String token, String progressPath) {
        URI progress = URI.create("http://127.0.0.1:" + store.getAddress().getPort() + progressPath);
        return new InstanceCredential(Optional.of(token), Optional.of(progress), HttpClient.newHttpClient());
    }
}
