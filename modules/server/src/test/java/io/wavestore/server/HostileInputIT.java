package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A hostile caller against a whole store on the embedded default (local runtime, development identity): requests
 * generated from every route of the API (its OpenAPI document, plus the launchers' endpoints) crossed with hostile
 * values in every path parameter, query parameter, JSON body, content type and development header, sent as an
 * anonymous caller, a visitor, another user and an admin. None may answer 5xx, take longer than 15 s, or answer an
 * error that is not {@code application/problem+json} with a {@code urn:wavestore:problem:} type. pekko-http's own
 * refusals (too long, malformed, wrong method...) are sent on raw sockets. Header reading is time-limited: slowloris
 * connections trickling header bytes are closed.
 */
@ExtendWith(PostgresExtension.class)
class HostileInputIT {

    // A hang is the 60 s ask time-out; 15 s tells one apart from a machine that is merely busy (at a load of 40
    // on 2 cores, instance lifecycle answers took up to 3.5 s).
    static final Duration SLOWEST_ANSWER = Duration.ofSeconds(15);
    static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(3);
    static final String OWNER = "olga";
    static final String PRIVATE_APP = "hostile-private";
    static final String PUBLIC_APP = "hostile-public";
    static final String VERSION = "1.0.0";
    static final String TAG = "hostile-tag";
    static final String MISSING_INSTANCE = "i-" + "z".repeat(12);

    /** Who sends the hostile requests: the development identity's headers. */
    static final Map<String, Map<String, String>> CALLERS = new LinkedHashMap<>();

    static {
        CALLERS.put("anonymous", Map.of("X-Dev-User", "anonymous"));
        CALLERS.put("visitor", Map.of("X-Dev-User", "vic", "X-Dev-Role", "visitor"));
        CALLERS.put("other user", Map.of("X-Dev-User", "mallory"));
        CALLERS.put("admin", Map.of("X-Dev-User", "root", "X-Dev-Role", "admin"));
    }

    /** Path segments, already percent-encoded as they go on the wire. */
    static final List<String> HOSTILE_SEGMENTS = List.of(
            "null", "%00", "a%00b", "%0D%0ASet-Cookie:%20x=1", "%1B%5B31m", "a".repeat(300), "a".repeat(5000),
            "%E2%80%AE%F0%9F%98%80", "%EF%BF%BF", "e%CC%81%CC%81%CC%81", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "..",
            "-1", "99999999999999999999999", "NOT-AN-ID", "%27%20OR%201=1%20--", "%3Cscript%3E", "%25", "%C3%28",
            "i-" + "z".repeat(12), "UPPER");

    /** Query values before encoding. */
    static final List<String> HOSTILE_QUERY_VALUES = List.of(
            "", "null", "\u0000", "a\r\nb", "\u001b[2J", "x".repeat(1500), "\u202e\uD83D\uDE00", "../../etc/passwd",
            "-1", "99999999999999999999999", "1e400", "NaN", "true,false", "%", "' OR 1=1 --", "[]", "{}");

    /** Bad development-identity headers (HttpClient itself refuses CR, LF and NUL in headers: raw sockets send those). */
    static final List<Map<String, String>> HOSTILE_HEADERS = List.of(
            Map.of("X-Dev-User", "mallory", "X-Dev-Role", "root"),
            Map.of("X-Dev-User", "mallory", "X-Dev-Role", "anonymous"),
            Map.of("X-Dev-User", "mallory", "X-Dev-Role", ""),
            Map.of("X-Dev-User", ""),
            Map.of("X-Dev-User", "a b/c"),
            Map.of("X-Dev-User", "x".repeat(200)),
            Map.of("X-Dev-User", "\u00f6lga"),
            Map.of("X-Dev-User", "mallory", "X-Dev-Roles", "ok,bad role"),
            Map.of("X-Dev-User", "mallory", "X-Dev-Groups", "g".repeat(300)),
            Map.of("X-Dev-User", "mallory", "X-Dev-Foo", "bar"),
            Map.of("X-Dev-User", "mallory", "X-Dev-Role", "admin\t"));

    @TempDir
    static Path dataDir;

    static Wavestore store;
    static URI base;
    static StoreClient owner;
    static String instanceId;
    static final java.util.concurrent.atomic.AtomicLong SLOWEST_NANOS = new java.util.concurrent.atomic.AtomicLong();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start(TestDatabase database) throws Exception {
        int port = TestStoreConfig.freePort();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database,
                Map.of("wavestore.http.header-read-timeout", HEADER_READ_TIMEOUT.toMillis() + "ms")));
        base = URI.create("http://127.0.0.1:" + port);
        owner = new StoreClient(base).as(OWNER, null);
        StoreClient admin = new StoreClient(base).as("root", "admin");
        // A PRIVATE app with an instance (one that fails at once: nothing installs, so the machine stays quiet),
        // a PUBLIC app, and a tag: things hostile requests could reveal, change or break.
        Path privateApp = WaveBundleBuilder.app(PRIVATE_APP, VERSION).file("requirements.txt", "./no-such-wheel.whl\n")
                .writeTo(dataDir.resolve("private.wave"));
        assertThat(owner.upload("/api/v1/apps?visibility=PRIVATE", privateApp).statusCode()).isEqualTo(201);
        assertThat(owner.upload("/api/v1/apps?visibility=PUBLIC",
                WaveBundleBuilder.app(PUBLIC_APP, VERSION).writeTo(dataDir.resolve("public.wave"))).statusCode()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/v1/tags", "{\"name\":\"" + TAG + "\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> started = owner.send("POST", "/api/v1/instances",
                "{\"app\":\"" + PRIVATE_APP + "\",\"version\":\"" + VERSION + "\"}");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        instanceId = StoreClient.json(started).get("id").asText();
        owner.awaitInstance(instanceId, i -> i.get("phase").asText().equals("FAILED"), Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() throws Exception {
        if (store != null) {
            if (instanceId != null) {
                owner.send("DELETE", "/api/v1/instances/" + instanceId, null);
            }
            store.close();
            LocalLaunchers.stopAll(dataDir);
        }
    }

    /** One operation of the API: method, path template, its parameters, and the schema of its JSON body if any. */
    record Operation(String method, String path, List<String> pathParameters, List<String> queryParameters,
            JsonNode jsonBody, boolean rawBody) {
    }

    /** @param problems whether an error must be problem+json (the API); app and sign-in pages answer HTML */
    record Probe(String description, HttpRequest request, boolean problems) {
    }

    @Test
    void hostileRequestsNeverAnswer5xxNorHangAndAlwaysAnswerProblems() throws Exception {
        List<Operation> operations = operations();
        List<Probe> probes = new ArrayList<>();
        for (Operation operation : operations) {
            probes.addAll(hostilePaths(operation));
            probes.addAll(hostileQueries(operation));
            probes.addAll(hostileBodies(operation));
            probes.addAll(hostileHeaders(operation));
        }
        probes.addAll(outsideTheApi());
        assertThat(operations).hasSizeGreaterThan(25);
        assertThat(probes).hasSizeGreaterThan(2000);

        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (Probe probe : probes) {
                sent.add(pool.submit(() -> check(probe).ifPresent(failures::add)));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
        LoggerFactory.getLogger(HostileInputIT.class).info("{} hostile requests on {} operations; slowest answer {} ms",
                probes.size(), operations.size(), Duration.ofNanos(SLOWEST_NANOS.get()).toMillis());
        assertThat(failures).as("%d of %d hostile requests answered badly", failures.size(), probes.size()).isEmpty();
    }

    @Test
    void pekkosOwnRefusalsAreProblemsToo() throws Exception {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("URI too long", "GET /api/v1/apps/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("header too large", "GET /api/v1/apps HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(20_000) + "\r\n\r\n");
        raw.put("too many headers", "GET /api/v1/apps HTTP/1.1\r\nHost: x\r\n" + "X-H: 1\r\n".repeat(200) + "\r\n");
        raw.put("malformed request line", "GET  /api/v1/apps HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("control character in X-Dev-Roles", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Dev-User: m\r\n"
                + "X-Dev-Roles: ok,\u0001bad\r\n\r\n");
        raw.put("unknown method", "FROB /api/v1/apps HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("NUL in the target", "GET /api/v1/apps/a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("CRLF in a header", "GET /api/v1/apps HTTP/1.1\r\nHost: x\r\nX-Dev-User: a\rb\r\n\r\n");
        raw.put("NUL in X-Dev-User", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Dev-User: a\u0000b\r\n\r\n");
        raw.put("bad percent-encoding", "GET /api/v1/apps?q=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("no Host", "GET /api/v1/apps HTTP/1.1\r\n\r\n");
        raw.put("two Content-Lengths", "POST /api/v1/tags HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
        raw.put("bad chunk", "POST /api/v1/tags HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        raw.put("negative Content-Length", "POST /api/v1/tags HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n");
        raw.put("body too large", "POST /api/v1/tags HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 99999999999\r\n\r\n{");
        raw.put("no such route", "GET /nowhere/at/all HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("wrong method", "PUT /api/v1/apps HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        raw.put("nothing acceptable", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAccept: image/png\r\n\r\n");
        raw.put("unsupported content type", "POST /api/v1/tags HTTP/1.1\r\nHost: x\r\nX-Dev-User: root\r\n"
                + "X-Dev-Role: admin\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}");
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> each : raw.entrySet()) {
            RawAnswer answer = RawAnswer.send(base, each.getValue(), SLOWEST_ANSWER);
            String problem = answer.problemOrWhy();
            if (problem != null) {
                failures.add(each.getKey() + ": " + problem);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void authorisationIsDecidedBeforeExistenceIsRevealed() throws Exception {
        String privateVersion = "/api/v1/apps/" + PRIVATE_APP + "/" + VERSION;
        String missingVersion = "/api/v1/apps/" + PRIVATE_APP + "/9.9.9";
        for (String stranger : List.of("anonymous", "visitor", "other user")) {
            HttpResponse<String> existing = send(request(privateVersion, CALLERS.get(stranger)).DELETE().build());
            HttpResponse<String> missing = send(request(missingVersion, CALLERS.get(stranger)).DELETE().build());
            assertThat(existing.statusCode()).as(stranger + ": " + existing.body()).isEqualTo(missing.statusCode()).isEqualTo(404);
            assertThat(type(existing)).isEqualTo(type(missing));
        }
        HttpResponse<String> notManaged = send(request("/api/v1/apps/" + PUBLIC_APP + "/" + VERSION, CALLERS.get("other user"))
                .DELETE().build());
        assertThat(notManaged.statusCode()).as("a PUBLIC app seen but not managed").isEqualTo(403);
        HttpResponse<String> inUse = owner.send("DELETE", privateVersion, null);
        assertThat(inUse.statusCode()).as("its owner learns it is in use").isEqualTo(409);
    }

    @Test
    void implausibleInstanceIdsAreNotFoundAtOnceWithoutActorsOrLogLines() throws Exception {
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        logged.start();
        root.addAppender(logged);
        try {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    String method = List.of("GET", "PATCH", "DELETE", "POST").get(i % 4);
                    String path = "/api/v1/instances/NOT-AN-ID-" + i + (method.equals("POST") ? "/suspend" : "");
                    HttpRequest request = request(path, CALLERS.get("anonymous"))
                            .header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString("{\"visibility\":\"PUBLIC\"}")).build();
                    answers.add(pool.submit(() -> send(request)));
                }
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get();
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
                    assertThat(type(response)).isEqualTo("urn:wavestore:problem:instance-not-found");
                }
            } finally {
                pool.shutdownNow();
            }
            HttpResponse<String> crlf = send(request("/api/v1/instances/x%0D%0AFORGED", CALLERS.get("admin")).GET().build());
            assertThat(crlf.statusCode()).isEqualTo(400);
        } finally {
            root.detachAppender(logged);
        }
        List<String> aboveDebug = logged.list.stream()
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains("NOT-AN-ID") || m.contains("FORGED"))
                .toList();
        assertThat(aboveDebug).as("log lines about the ids").isEmpty();
        assertThat(InstanceEntities.ids(store.system())).noneMatch(id -> id.startsWith("NOT-AN-ID"));
    }

    @Test
    void slowlorisConnectionsAreClosedWhenTheirHeadersTakeTooLong() throws Exception {
        int count = 300;
        List<java.net.Socket> sockets = new ArrayList<>();
        java.util.concurrent.ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        long opened = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort());
                socket.getOutputStream().write("GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            // One header byte a second on every connection: never idle, never done.
            trickle.scheduleAtFixedRate(() -> sockets.forEach(socket -> {
                try {
                    socket.getOutputStream().write('z');
                } catch (java.io.IOException closed) {
                    // closed by the store: what this test waits for
                }
            }), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            Duration latest = HEADER_READ_TIMEOUT.plusSeconds(10);
            int closed = 0;
            for (java.net.Socket socket : sockets) {
                socket.setSoTimeout((int) latest.toMillis());
                try {
                    // Closed, with at most a problem for the half request pekko was given (its input ended).
                    String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                    if (!answer.isEmpty()) {
                        assertThat(answer).startsWith("HTTP/1.1 400").contains("application/problem+json");
                    }
                } catch (java.net.SocketException reset) {
                    // closed as well
                }
                closed++;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - opened);
            assertThat(closed).isEqualTo(count);
            assertThat(took).as("all closed after the limit, not before").isGreaterThanOrEqualTo(HEADER_READ_TIMEOUT)
                    .isLessThan(latest);
        } finally {
            trickle.shutdownNow();
            for (java.net.Socket socket : sockets) {
                socket.close();
            }
        }
        // A request that sends its headers in time, on a connection kept alive, is still served.
        assertThat(owner.get("/api/v1/me").statusCode()).isEqualTo(200);
    }

    @Test
    void theLimitAppliesToEveryRequestOfAKeptAliveConnectionButNotToBodies() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) HEADER_READ_TIMEOUT.plusSeconds(10).toMillis());
            var out = socket.getOutputStream();
            String body = "{\"name\":\"slow-body\"}";
            out.write(("POST /api/v1/tags HTTP/1.1\r\nHost: x\r\nX-Dev-User: root\r\nX-Dev-Role: admin\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The body is not headers: it may come later than the limit (the request timeout governs it).
            java.util.concurrent.ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
            String answers;
            try {
                later.schedule(() -> {
                    out.write(body.getBytes(StandardCharsets.US_ASCII));
                    out.write("GET /api/v1/me HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return null;
                }, HEADER_READ_TIMEOUT.plusSeconds(1).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                answers = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            } finally {
                later.shutdownNow();
            }
            assertThat(answers).as("the POST was read to its late body and answered, then the slow second request's"
                    + " connection closed").startsWith("HTTP/1.1 201").doesNotContain("HTTP/1.1 200");
        }
    }

    // ---- generating the probes ----

    static List<Operation> operations() throws Exception {
        JsonNode api;
        try (InputStream in = HostileInputIT.class.getClassLoader().getResourceAsStream("openapi.yaml")) {
            api = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<Operation> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = api.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            List<String> pathParameters = new ArrayList<>();
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("\\{(\\w+)}").matcher(path.getKey());
            while (names.find()) {
                pathParameters.add(names.group(1));
            }
            for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                Map.Entry<String, JsonNode> method = methods.next();
                if (!Set.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    continue;
                }
                List<String> query = new ArrayList<>();
                method.getValue().path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("query")) {
                        query.add(p.get("name").asText());
                    }
                });
                JsonNode content = method.getValue().path("requestBody").path("content");
                JsonNode schema = content.has("application/json") ? resolve(api, content.get("application/json").get("schema")) : null;
                operations.add(new Operation(method.getKey().toUpperCase(), path.getKey(), pathParameters, query, schema,
                        content.has("application/zip")));
            }
        }
        // The launchers' endpoints are not in the users' API document.
        operations.add(new Operation("GET", "/api/v1/instances/{id}/bundle", List.of("id"), List.of(), null, false));
        operations.add(new Operation("POST", "/api/v1/instances/{id}/progress", List.of("id"), List.of(),
                JSON.readTree("{\"type\":\"object\",\"properties\":{\"instanceId\":{\"type\":\"string\"},\"step\":{\"type\":"
                        + "\"string\"},\"state\":{\"type\":\"string\"},\"outputTail\":{\"type\":\"array\"},\"sequence\":"
                        + "{\"type\":\"integer\"},\"time\":{\"type\":\"string\"}}}"), false));
        return operations;
    }

    private static JsonNode resolve(JsonNode api, JsonNode schema) {
        if (schema.has("$ref")) {
            String[] parts = schema.get("$ref").asText().substring(2).split("/");
            JsonNode target = api;
            for (String part : parts) {
                target = target.get(part);
            }
            return target;
        }
        return schema;
    }

    /** A path parameter's harmless value: the real things, so that only the hostile one is wrong. */
    private static String valid(String parameter) {
        return switch (parameter) {
            case "name" -> PRIVATE_APP;
            case "version" -> VERSION;
            case "id" -> instanceId;
            case "tag" -> TAG;
            case "index" -> "0";
            default -> "x";
        };
    }

    private static String fill(Operation operation, String hostileParameter, String hostileValue) {
        String path = operation.path();
        for (String parameter : operation.pathParameters()) {
            path = path.replace("{" + parameter + "}", parameter.equals(hostileParameter) ? hostileValue : valid(parameter));
        }
        return path;
    }

    private static List<Probe> hostilePaths(Operation operation) {
        List<Probe> probes = new ArrayList<>();
        for (String parameter : operation.pathParameters()) {
            for (String value : HOSTILE_SEGMENTS) {
                for (Map.Entry<String, Map<String, String>> caller : CALLERS.entrySet()) {
                    String path = fill(operation, parameter, value);
                    probes.add(probe(operation, path, caller, "{}", "path " + parameter + "=" + abbreviate(value)));
                }
            }
        }
        return probes;
    }

    private static List<Probe> hostileQueries(Operation operation) {
        List<Probe> probes = new ArrayList<>();
        List<String> parameters = new ArrayList<>(operation.queryParameters());
        parameters.add("unexpected");
        for (String parameter : parameters) {
            for (String value : HOSTILE_QUERY_VALUES) {
                String path = fill(operation, null, null) + "?" + parameter + "="
                        + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
                for (String caller : List.of("anonymous", "other user")) {
                    probes.add(probe(operation, path, Map.entry(caller, CALLERS.get(caller)), "{}",
                            "query " + parameter + "=" + abbreviate(value)));
                }
            }
        }
        return probes;
    }

    private static List<Probe> hostileBodies(Operation operation) {
        if (operation.jsonBody() == null && !operation.rawBody()) {
            return List.of();
        }
        List<String> bodies = new ArrayList<>(List.of("null", "[]", "[{}]", "42", "-1e400", "\"text\"", "true", "{", "",
                "{}", "{\"a\":" .repeat(3000) + "1" + "}".repeat(3000), "[".repeat(100_000), "\u0000",
                "{\"name\":\"a\\u0000b\"}", "{\"name\":\"" + "n".repeat(200_000) + "\"}", "{\"name\":1} trailing"));
        JsonNode properties = operation.jsonBody() == null ? JSON.createObjectNode() : operation.jsonBody().path("properties");
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            for (String value : List.of("null", "12345", "123456789012345678901234567890", "-1", "{}", "[]", "[null]",
                    "[1,{}]", "true", "\"\"", "\"a\\u0000b\"", "\"a\\r\\nb\"", "\"\\u001b[31m\"", "\"" + "x".repeat(5000) + "\"",
                    "\"../../etc/passwd\"", "\"\\u202e\\ud83d\\ude00\"", "\"NOT-AN-ID\"", "[\"a\\u0000\"]", "\"yesterday\"")) {
                bodies.add("{\"" + name + "\":" + value + "}");
            }
        }
        List<Probe> probes = new ArrayList<>();
        String path = fill(operation, null, null);
        for (String body : bodies) {
            for (String caller : List.of("other user", "admin")) {
                probes.add(probe(operation, path, Map.entry(caller, CALLERS.get(caller)), body, "body " + abbreviate(body)));
            }
        }
        for (String contentType : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded", "")) {
            HttpRequest.Builder builder = request(path, CALLERS.get("admin"))
                    .method(operation.method(), HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}"));
            if (!contentType.isEmpty()) {
                builder.header("Content-Type", contentType);
            }
            probes.add(new Probe(operation.method() + " " + path + " as admin with Content-Type '" + contentType + "'",
                    builder.build(), true));
        }
        return probes;
    }

    /**
     * The router's app paths, the sign-in routes and the web UI: no 5xx and no hang there either. (An instance that
     * exists but failed answers 502 on its app paths, rightly: the router's probes use one that does not exist.)
     */
    private static List<Probe> outsideTheApi() {
        List<Probe> probes = new ArrayList<>();
        for (String value : HOSTILE_SEGMENTS) {
            for (String path : List.of("/instance/" + value + "/", "/instance/" + value + "/static/x.js?q=1",
                    "/instance/" + MISSING_INSTANCE + "/" + value, "/apps/" + value, "/" + value)) {
                for (Map.Entry<String, Map<String, String>> caller : CALLERS.entrySet()) {
                    probes.add(new Probe("GET " + abbreviate(path) + " as " + caller.getKey(),
                            request(path, caller.getValue()).GET().build(), path.startsWith("/api/")));
                }
            }
        }
        for (String value : HOSTILE_QUERY_VALUES) {
            String encoded = java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
            for (String path : List.of("/auth/login?return_to=" + encoded, "/auth/callback?state=" + encoded + "&code=x")) {
                probes.add(new Probe("GET " + abbreviate(path), request(path, Map.of()).GET().build(), false));
            }
        }
        for (Map<String, String> headers : HOSTILE_HEADERS) {
            probes.add(new Probe("GET /instance/" + MISSING_INSTANCE + "/ with " + abbreviate(headers.toString()),
                    request("/instance/" + MISSING_INSTANCE + "/", headers).GET().build(), false));
        }
        return probes;
    }

    private static List<Probe> hostileHeaders(Operation operation) {
        List<Probe> probes = new ArrayList<>();
        String path = fill(operation, null, null);
        for (Map<String, String> headers : HOSTILE_HEADERS) {
            probes.add(probe(operation, path, Map.entry("headers " + headers.keySet(), headers), "{}",
                    "headers " + abbreviate(headers.toString())));
        }
        return probes;
    }

    private static Probe probe(Operation operation, String path, Map.Entry<String, Map<String, String>> caller, String body,
            String what) {
        HttpRequest.Builder builder = request(path, caller.getValue());
        boolean hasBody = operation.jsonBody() != null || operation.rawBody();
        builder.method(operation.method(), hasBody ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
        if (hasBody) {
            builder.header("Content-Type", operation.rawBody() ? "application/zip" : "application/json");
        }
        return new Probe(operation.method() + " " + operation.path() + " as " + caller.getKey() + ", " + what, builder.build(),
                true);
    }

    private static HttpRequest.Builder request(String path, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(SLOWEST_ANSWER.multipliedBy(5));
        headers.forEach(builder::header);
        return builder;
    }

    // ---- checking the answers ----

    private static java.util.Optional<String> check(Probe probe) {
        long started = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = send(probe.request());
        } catch (Exception e) {
            return java.util.Optional.of(probe.description() + ": no answer (" + e + ")");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        SLOWEST_NANOS.accumulateAndGet(took.toNanos(), Math::max);
        int status = response.statusCode();
        if (status >= 500) {
            return java.util.Optional.of(probe.description() + ": " + status + " " + abbreviate(response.body()));
        }
        if (took.compareTo(SLOWEST_ANSWER) > 0) {
            return java.util.Optional.of(probe.description() + ": took " + took.toMillis() + " ms");
        }
        if (status >= 400 && probe.problems()) {
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            String type = type(response);
            if (!contentType.startsWith("application/problem+json") || type == null
                    || !type.startsWith("urn:wavestore:problem:")) {
                return java.util.Optional.of(probe.description() + ": " + status + " as '" + contentType + "': "
                        + abbreviate(response.body()));
            }
        }
        return java.util.Optional.empty();
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String type(HttpResponse<String> response) {
        try {
            JsonNode problem = JSON.readTree(response.body());
            return problem.path("type").isTextual() ? problem.get("type").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 120) + "...(" + oneLine.length() + ")";
    }
}
