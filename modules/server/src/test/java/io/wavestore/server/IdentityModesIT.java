package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Personal API tokens under the development identity, and what happens to them when the same database is then
 * used with OIDC sign-in: a token minted by whoever claimed to be someone must not outlive that mode.
 */
@ExtendWith(PostgresExtension.class)
class IdentityModesIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dataDir;

    @Test
    void developmentTokensWorkThereAndNowhereElse(TestDatabase db) throws Exception {
        String token;
        Wavestore development = Wavestore.start(TestStoreConfig.withoutInstances(dataDir, db, Map.of()));
        try {
            Wavestore store = development;
            URI base = URI.create("http://127.0.0.1:" + store.address().getPort());
            // Nothing to sign in to: login just goes on to the page asked for.
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(base.resolve("/auth/login?return_to=/apps")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(login.headers().firstValue("Location")).contains("/apps");

            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens"))
                    .header("X-Dev-User", "olga").header("X-Dev-Role", "full-user").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"script\",\"expiresAt\":\"2999-01-01T00:00:00Z\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            token = JSON.readTree(created.body()).get("token").asText();
            JsonNode me = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/v1/me"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(me.get("id").asText()).isEqualTo("olga");
            assertThat(me.get("role").asText()).isEqualTo("FULL_USER");
            assertThat(me.get("authenticatedBy").asText()).isEqualTo("api_token");
            assertThat(me.get("development").asBoolean()).isTrue();
        } finally {
            development.close();
        }

        MockOAuth2Server provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        Wavestore store = null;
        try {
            store = Wavestore.start(TestStoreConfig.withoutInstances(dataDir, db, Map.of(
                    "wavestore.identity.mode", "oidc",
                    "wavestore.identity.oidc.issuer", provider.issuerUrl("default").toString(),
                    "wavestore.identity.oidc.client-id", "wavestore")));
            URI base = URI.create("http://127.0.0.1:" + store.address().getPort());
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/me"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            // And the development headers mean nothing any more.
            JsonNode me = JSON.readTree(http.send(HttpRequest.newBuilder(base.resolve("/api/v1/me"))
                    .header("X-Dev-User", "olga").build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(me.get("signedIn").asBoolean()).isFalse();
        } finally {
            if (store != null) {
                store.close();
            }
            provider.shutdown();
        }
    }
}
