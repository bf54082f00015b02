package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.typesafe.config.Config;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sign-in against a real OpenID Connect provider on loopback (mock-oauth2-server: real discovery, JWKS, signed
 * tokens, PKCE checks), with a whole store on real PostgreSQL, driven as a browser with a cookie jar and as API
 * clients with bearer tokens.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OidcSignInIT {

    static final String CLIENT_ID = "wavestore";
    static final String COOKIE = "wavestore_session";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;

    static RotatingKeys keys;
    @AutoClose("shutdown")
    static MockOAuth2Server provider;
    static TestDatabase database;
    static Config config;
    @AutoClose
    static Wavestore store;
    static URI base;
    static CookieManager jar;
    static HttpClient browser;

    /** The provider's signing key for the "default" issuer, which the test can rotate. */
    static final class RotatingKeys extends KeyProvider {
        private volatile JWK current = newKey("key-1");

        @Override
        public JWK signingKey(String issuerId) {
            return issuerId.equals("default") ? current : super.signingKey(issuerId);
        }

        void rotate(String keyId) {
            current = newKey(keyId);
        }

        private static JWK newKey(String keyId) {
            try {
                return new RSAKeyGenerator(2048).keyID(keyId).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeAll
    static void start(TestDatabase db) throws Exception {
        database = db;
        keys = new RotatingKeys();
        // Refresh tokens rotate, as careful providers do: the store must keep the newest.
        provider = new MockOAuth2Server(new OAuth2Config(false, null, null, true, new OAuth2TokenProvider(keys)));
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        // Free ports for everything it binds (HTTP, cluster, management): a store running here must not fail it.
        config = TestStoreConfig.oidc(dataDir, db, provider.issuerUrl("default").toString(), CLIENT_ID);
        startStore();
        jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        browser = HttpClient.newBuilder().cookieHandler(jar).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static void startStore() throws Exception {
        store = Wavestore.start(config);
        base = URI.create("http://127.0.0.1:" + store.address().getPort());
    }

    @Test
    @Order(1)
    void theWholeLoginRoundTrip() throws Exception {
        assertThat(me().get("signedIn").asBoolean()).isFalse();

        String sessionCookie = signIn("olga", Map.of("name", "Olga", "roles", List.of("partner"), "groups", List.of("sales")),
                3600);
        JsonNode me = me();
        assertThat(me.get("id").asText()).isEqualTo("olga");
        assertThat(me.get("name").asText()).isEqualTo("Olga");
        assertThat(me.get("role").asText()).isEqualTo("FULL_USER");
        assertThat(me.get("roles").get(0).asText()).isEqualTo("partner");
        assertThat(me.get("groups").get(0).asText()).isEqualTo("sales");
        assertThat(me.get("development").asBoolean()).isFalse();
        assertThat(me.get("authenticatedBy").asText()).isEqualTo("session");
        String csrf = me.get("csrfToken").asText();
        assertThat(csrf).hasSizeGreaterThan(30);

        // The session id is kept hashed: the cookie's value is nowhere in the table.
        try (Connection c = db(); ResultSet rows = c.createStatement().executeQuery("SELECT id_hash, refresh_token FROM sessions")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("id_hash")).isNotEqualTo(sessionCookie).hasSize(64);
            assertThat(rows.getString("refresh_token")).as("sealed refresh token").startsWith("v1.");
        }

        // A state-changing request with the cookie needs the session's CSRF token.
        byte[] bundle = WaveBundleBuilder.app("olgas-app", "1.0.0").bytes();
        assertProblem(send(upload(bundle)), 403, "csrf");
        assertProblem(send(upload(bundle).header("X-CSRF-Token", "not-the-token")), 403, "csrf");
        HttpResponse<String> created = send(upload(bundle).header("X-CSRF-Token", csrf));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("owner").asText()).isEqualTo("olga");

        // Signing in again rotates the cookie; the old session is gone.
        String rotated = signIn("olga", Map.of("name", "Olga"), 3600);
        assertThat(rotated).isNotEqualTo(sessionCookie);
        HttpResponse<String> old = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/v1/me"))
                .header("Cookie", COOKIE + "=" + sessionCookie).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(old.body()).get("signedIn").asBoolean()).isFalse();
    }

    @Test
    @Order(2)
    void callbacksThatThisBrowserDidNotStartAreRefused() throws Exception {
        URI callback = callbackFromProvider(startLogin("/"));
        String forged = callback.toString().replaceAll("state=[^&]+", "state=forged");
        assertProblem(send(HttpRequest.newBuilder(URI.create(forged)).GET()), 400, "sign-in-state-invalid");
        // Another browser (no login cookie) cannot complete this browser's sign-in.
        HttpResponse<String> stranger = HttpClient.newHttpClient().send(HttpRequest.newBuilder(callback).build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(stranger, 400, "sign-in-state-invalid");
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", "olga", "JWT", List.of(CLIENT_ID),
                Map.of("name", "Olga"), 3600));
        assertThat(send(HttpRequest.newBuilder(callback).GET()).statusCode()).isEqualTo(303);
        // A state is good once.
        assertProblem(send(HttpRequest.newBuilder(callback).GET()), 400, "sign-in-state-invalid");
        assertThat(URI.create(startLogin("https://evil.test/")).getQuery()).contains("code_challenge_method=S256");
    }

    @Test
    @Order(3)
    void aRestartSignsNobodyOut() throws Exception {
        String before = me().get("id").asText();
        store.close();
        startStore();
        assertThat(before).isEqualTo("olga");
        JsonNode me = me();
        assertThat(me.get("id").asText()).isEqualTo("olga");
        assertThat(me.get("authenticatedBy").asText()).isEqualTo("session");
    }

    @Test
    @Order(4)
    void sessionsRefreshWhenTheAccessTokenExpires() throws Exception {
        signIn("rita", Map.of("name", "Rita", "roles", List.of("visitor")), 2);
        Timestamp first = accessExpiry();
        Thread.sleep(2500);
        JsonNode me = me();
        assertThat(me.get("id").asText()).isEqualTo("rita");
        assertThat(me.get("role").asText()).isEqualTo("VISITOR");
        assertThat(accessExpiry()).as("refreshed with the refresh token").isAfter(first);
    }

    @Test
    @Order(5)
    void personalApiTokens() throws Exception {
        signIn("olga", Map.of("name", "Olga", "roles", List.of("partner")), 3600);
        String csrf = me().get("csrfToken").asText();
        assertProblem(send(json("POST", "/api/v1/tokens", "{\"name\":\"cli\"}")), 403, "csrf");
        HttpResponse<String> created = send(json("POST", "/api/v1/tokens", "{\"name\":\"cli\"}").header("X-CSRF-Token", csrf));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode token = JSON.readTree(created.body());
        String raw = token.get("token").asText();
        assertThat(raw).startsWith("wst_").hasSize(47);
        assertThat(created.headers().firstValue("Location")).contains("/api/v1/tokens/" + token.get("id").asText());
        assertProblem(send(json("POST", "/api/v1/tokens", "{\"name\":\"\"}").header("X-CSRF-Token", csrf)), 422,
                "invalid-field");

        JsonNode list = JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens")).GET()).body());
        assertThat(list.get("items")).hasSize(1);
        assertThat(list.get("items").get(0).get("name").asText()).isEqualTo("cli");
        assertThat(list.get("items").get(0).get("hint").asText()).isEqualTo(raw.substring(0, 10));
        assertThat(list.get("items").get(0).has("token")).isFalse();

        // The token acts as its owner, without cookie or CSRF token.
        JsonNode viaToken = JSON.readTree(api(raw, "GET", "/api/v1/me", null).body());
        assertThat(viaToken.get("id").asText()).isEqualTo("olga");
        assertThat(viaToken.get("authenticatedBy").asText()).isEqualTo("api_token");
        assertThat(viaToken.get("roles").get(0).asText()).isEqualTo("partner");
        assertThat(api(raw, "GET", "/api/v1/tokens", null).statusCode()).isEqualTo(200);
        assertProblem(api(raw, "POST", "/api/v1/tokens", "{\"name\":\"more\"}"), 403, "forbidden");
        assertThat(JSON.readTree(send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens")).GET()).body())
                .get("items").get(0).get("lastUsedAt").isNull()).isFalse();

        HttpResponse<String> revoked = send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens/" + token.get("id").asText()))
                .header("X-CSRF-Token", csrf).DELETE());
        assertThat(revoked.statusCode()).isEqualTo(204);
        assertProblem(api(raw, "GET", "/api/v1/me", null), 401, "unauthenticated");
        assertProblem(send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens/" + token.get("id").asText()))
                .header("X-CSRF-Token", csrf).DELETE()), 404, "token-not-found");
        assertProblem(HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/api/v1/tokens")).build(),
                HttpResponse.BodyHandlers.ofString()), 401, "sign-in-required");
    }

    @Test
    @Order(6)
    void bearerAccessTokensAreVerified() throws Exception {
        String valid = provider.issueToken("default", "bob", CLIENT_ID, Map.of("name", "Bob", "roles", List.of("admin")), 3600)
                .serialize();
        HttpResponse<String> ok = api(valid, "GET", "/api/v1/me", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode me = JSON.readTree(ok.body());
        assertThat(me.get("id").asText()).isEqualTo("bob");
        assertThat(me.get("role").asText()).isEqualTo("ADMIN");
        assertThat(me.get("authenticatedBy").asText()).isEqualTo("bearer");
        // Bearer requests change state without any CSRF token.
        HttpResponse<String> tag = api(valid, "POST", "/api/v1/tags", "{\"name\":\"ml\",\"title\":\"ML\",\"color\":\"#1f6feb\"}");
        assertThat(tag.statusCode()).as(tag.body()).isEqualTo(201);

        String expired = provider.issueToken("default", "bob", CLIENT_ID, Map.of(), -3600L).serialize();
        assertProblem(api(expired, "GET", "/api/v1/me", null), 401, "unauthenticated");
        assertProblem(api(tamper(valid), "GET", "/api/v1/me", null), 401, "unauthenticated");
        String wrongAudience = provider.issueToken("default", "bob", "another-client", Map.of(), 3600).serialize();
        assertProblem(api(wrongAudience, "GET", "/api/v1/me", null), 401, "unauthenticated");
        String wrongIssuer = provider.issueToken("other", "bob", CLIENT_ID, Map.of(), 3600).serialize();
        assertProblem(api(wrongIssuer, "GET", "/api/v1/me", null), 401, "unauthenticated");
        assertProblem(api("not-a-jwt", "GET", "/api/v1/me", null), 401, "unauthenticated");
    }

    @Test
    @Order(7)
    void aRotatedSigningKeyIsPickedUp() throws Exception {
        keys.rotate("key-2");
        String signedWithNewKey = provider.issueToken("default", "carl", CLIENT_ID, Map.of(), 3600).serialize();
        HttpResponse<String> ok = api(signedWithNewKey, "GET", "/api/v1/me", null);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).get("id").asText()).isEqualTo("carl");
    }

    @Test
    @Order(8)
    void logoutEndsTheSessionAndGoesToTheProvider() throws Exception {
        signIn("olga", Map.of("name", "Olga"), 3600);
        String csrf = me().get("csrfToken").asText();
        assertProblem(send(HttpRequest.newBuilder(base.resolve("/auth/logout")).POST(HttpRequest.BodyPublishers.noBody())),
                403, "csrf");
        assertThat(me().get("signedIn").asBoolean()).isTrue();

        HttpResponse<String> out = send(HttpRequest.newBuilder(base.resolve("/auth/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf_token=" + csrf)));
        assertThat(out.statusCode()).isEqualTo(303);
        URI endSession = URI.create(out.headers().firstValue("Location").orElseThrow());
        assertThat(endSession.toString()).startsWith(provider.endSessionEndpointUrl("default").toString());
        Map<String, String> query = query(endSession);
        assertThat(query).containsKey("id_token_hint").containsEntry("post_logout_redirect_uri", base + "/");
        assertThat(setCookie(out, COOKIE).orElseThrow().getMaxAge()).isZero();
        assertThat(me().get("signedIn").asBoolean()).isFalse();

        HttpResponse<String> back = send(HttpRequest.newBuilder(endSession).GET());
        assertThat(back.headers().firstValue("Location")).contains(base + "/");
    }

    // ---- the browser

    /** Signs in through the provider and returns the new session cookie's value. */
    static String signIn(String user, Map<String, Object> claims, long tokenSeconds) throws Exception {
        provider.enqueueCallback(new DefaultOAuth2TokenCallback("default", user, "JWT", List.of(CLIENT_ID), claims,
                tokenSeconds));
        String authorize = startLogin("/api/v1/me");
        URI callback = callbackFromProvider(authorize);
        HttpResponse<String> done = send(HttpRequest.newBuilder(callback).GET());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains("/api/v1/me");
        String header = done.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(COOKIE + "="))
                .findFirst().orElseThrow();
        assertThat(header).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=28800").doesNotContain("Secure");
        assertThat(setCookie(done, COOKIE + "_login").orElseThrow().getMaxAge()).as("login cookie cleared").isZero();
        return setCookie(done, COOKIE).orElseThrow().getValue();
    }

    /** GET /auth/login: a redirect to the provider with PKCE, state and nonce, and the login cookie. */
    static String startLogin(String returnTo) throws Exception {
        HttpResponse<String> login = send(HttpRequest.newBuilder(base.resolve("/auth/login?return_to="
                + java.net.URLEncoder.encode(returnTo, StandardCharsets.UTF_8))).GET());
        assertThat(login.statusCode()).isEqualTo(302);
        String location = login.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(provider.authorizationEndpointUrl("default").toString());
        Map<String, String> query = query(URI.create(location));
        assertThat(query).containsEntry("code_challenge_method", "S256").containsEntry("client_id", CLIENT_ID)
                .containsEntry("response_type", "code").containsEntry("redirect_uri", base + "/auth/callback")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(query.get("scope")).contains("openid", "offline_access");
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(h -> h.startsWith(COOKIE + "_login="))
                .findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/auth").doesNotContain("Secure");
        return location;
    }

    /** The provider signs the user in (its non-interactive default) and sends the browser back with a code. */
    static URI callbackFromProvider(String authorize) throws Exception {
        HttpResponse<String> redirect = send(HttpRequest.newBuilder(URI.create(authorize)).GET());
        assertThat(redirect.statusCode()).isEqualTo(302);
        URI callback = URI.create(redirect.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPath()).isEqualTo("/auth/callback");
        return callback;
    }

    static JsonNode me() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("/api/v1/me")).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static HttpRequest.Builder upload(byte[] bundle) {
        return HttpRequest.newBuilder(base.resolve("/api/v1/apps?visibility=PRIVATE"))
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(bundle));
    }

    static HttpRequest.Builder json(String method, String path, String body) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An API client: no cookies, a bearer token. */
    static HttpResponse<String> api(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Optional<HttpCookie> setCookie(HttpResponse<?> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().flatMap(h -> HttpCookie.parse(h).stream())
                .filter(c -> c.getName().equals(name)).findFirst();
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    /** The same token with another subject in its payload, and the original signature. */
    static String tamper(String jwt) {
        String[] parts = jwt.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String forged = payload.replace("\"bob\"", "\"eve\"");
        assertThat(forged).isNotEqualTo(payload);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
    }

    static Timestamp accessExpiry() throws Exception {
        try (Connection c = db(); ResultSet rows = c.createStatement()
                .executeQuery("SELECT access_expires_at FROM sessions WHERE user_id = 'rita'")) {
            assertThat(rows.next()).isTrue();
            return rows.getTimestamp(1);
        }
    }

    static Connection db() throws Exception {
        return DriverManager.getConnection(database.url(), database.user(), database.password());
    }

    static JsonNode assertProblem(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo("urn:wavestore:problem:" + code);
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }
}
