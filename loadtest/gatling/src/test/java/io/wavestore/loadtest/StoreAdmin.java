package io.wavestore.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * What the simulation does outside the measured day, with the JDK's HTTP client as an administrator of the
 * development identity: check every replica answers, put the starting catalog in place, and afterwards remove what
 * the day left behind (uploaded versions, instances whose users did not get to terminate them).
 */
final class StoreAdmin {

    static final String ADMIN = "loadtest-admin";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base = Settings.BASE_URLS.get(0);

    /** Fails at once, naming the replica, when one does not answer as a store in development identity would. */
    void checkReplicas() {
        for (String replica : Settings.BASE_URLS) {
            try {
                HttpResponse<String> me = send(HttpRequest.newBuilder(URI.create(replica + "/api/v1/me")), replica);
                if (me.statusCode() != 200 || !me.body().contains("\"development\":true")) {
                    throw new IllegalStateException(replica + "/api/v1/me answered " + me.statusCode() + " " + me.body()
                            + ": the load test needs stores with the development identity");
                }
            } catch (IOException e) {
                throw new IllegalStateException("no store at " + replica + " (" + e + "); set -Dwavestore.base-urls", e);
            }
        }
    }

    /** Creates the tags, the example app every instance runs, and the starting catalog, keeping what exists. */
    void seedCatalog(WaveBundles bundles) throws IOException {
        for (String tag : Catalog.TAGS) {
            expect(post("/api/v1/tags", "application/json",
                    "{\"name\":\"" + tag + "\",\"title\":\"" + tag + "\"}"), Set.of(201, 409), "create tag " + tag);
        }
        upload(bundles.original(), "example app " + Settings.INSTANCE_APP);
        for (Catalog.SeedApp app : Catalog.seedApps()) {
            upload(bundles.as(app.name(), app.version(), app.title(), app.description(), app.tags()), app.name());
        }
        // Instance users are full users: the app they start must be visible to them, not only to its owner.
        HttpResponse<String> visible = send(HttpRequest.newBuilder(URI.create(base + "/api/v1/apps/"
                + Settings.INSTANCE_APP + "/" + Settings.INSTANCE_VERSION)).header("X-Dev-User", "user-0")
                .header("X-Dev-Role", "full-user"), base);
        expect(visible, Set.of(200), Settings.INSTANCE_APP + " " + Settings.INSTANCE_VERSION + " visible to full users"
                + " (an existing PRIVATE upload of it hides it; delete it or make it ALL_USERS)");
    }

    /** Deletes an uploaded app version (a path such as /api/v1/apps/name/version). */
    void delete(String path) throws IOException {
        expect(send(admin(path).DELETE(), base), Set.of(204, 404), "delete " + path);
    }

    /** Terminates every instance owned by a user whose name starts with {@code ownerPrefix}; returns how many. */
    int terminateInstances(String ownerPrefix) throws IOException {
        HttpResponse<String> list = send(admin("/api/v1/instances"), base);
        expect(list, Set.of(200), "list instances");
        int terminated = 0;
        for (JsonNode instance : json.readTree(list.body())) {
            String path = "/api/v1/instances/" + instance.path("id").asText();
            // The listing may still show an instance that is already gone (its own API answers 404): skip those.
            if (instance.path("owner").asText().startsWith(ownerPrefix) && send(admin(path), base).statusCode() != 404) {
                expect(send(admin(path).DELETE(), base), Set.of(204, 404), "terminate " + path);
                terminated++;
            }
        }
        return terminated;
    }

    private void upload(byte[] bundle, String what) throws IOException {
        HttpResponse<String> answer = send(admin("/api/v1/apps?visibility=ALL_USERS")
                .header("Content-Type", "application/zip").POST(HttpRequest.BodyPublishers.ofByteArray(bundle)), base);
        expect(answer, Set.of(201, 409), "upload " + what);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws IOException {
        return send(admin(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)), base);
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("X-Dev-User", ADMIN).header("X-Dev-Role", "admin");
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String replica) throws IOException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted talking to " + replica, e);
        }
    }

    private static void expect(HttpResponse<String> answer, Set<Integer> statuses, String what) {
        if (!statuses.contains(answer.statusCode())) {
            throw new IllegalStateException(what + ": " + answer.request().method() + " " + answer.request().uri()
                    + " answered " + answer.statusCode() + " " + answer.body());
        }
    }
}
