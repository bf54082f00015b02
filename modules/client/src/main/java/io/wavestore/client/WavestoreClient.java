package io.wavestore.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wavestore.client.model.Alias;
import io.wavestore.client.model.ApiToken;
import io.wavestore.client.model.App;
import io.wavestore.client.model.AppPage;
import io.wavestore.client.model.AppQuery;
import io.wavestore.client.model.Caller;
import io.wavestore.client.model.Instance;
import io.wavestore.client.model.NewSecret;
import io.wavestore.client.model.Secret;
import io.wavestore.client.model.Tag;
import io.wavestore.client.model.TagChange;
import io.wavestore.client.model.Visibility;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Framing;
import org.apache.pekko.stream.javadsl.FramingTruncation;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * A typed client of one store's API ({@code /api/v1}). Calls block until the store answers (at most
 * {@code wavestore.client.request-timeout}) and return records; a refusal throws {@link WavestoreProblemException}
 * with the problem's type, detail and field, a store that cannot be reached {@link StoreUnreachableException}.
 * Uploads, downloads and followed logs are streamed, never held in memory. Thread-safe; close it when done (it
 * stops its own actor system, or leaves a given one running).
 *
 * <pre>{@code
 * try (WavestoreClient store = WavestoreClient.builder(URI.create("http://127.0.0.1:8080"))
 *         .credentials(Credentials.bearer(System.getenv("WAVESTORE_TOKEN"))).build()) {
 *     App app = store.upload(Path.of("hello-wave.wave"), Visibility.ALL_USERS, TransferListener.NONE);
 *     Instance started = store.run(app.name(), app.version(), null);
 *     Instance running = store.awaitInstance(started.id(), Instance::running, Duration.ofMinutes(5), i -> { });
 * }
 * }</pre>
 */
public final class WavestoreClient implements AutoCloseable {

    private static final TypeFactory TYPES = ClientJson.mapper().getTypeFactory();
    private static final int MAX_LOG_LINE = 1024 * 1024;

    private final URI store;
    private final HttpTransport transport;
    private final ActorSystem ownSystem;

    private WavestoreClient(URI store, HttpTransport transport, ActorSystem ownSystem) {
        this.store = store;
        this.transport = transport;
        this.ownSystem = ownSystem;
    }

    public static Builder builder(URI store) {
        return new Builder(store);
    }

    /** The store's URL this client talks to. */
    public URI store() {
        return store;
    }

    // ---- who am I

    public Caller me() {
        return transport.call(get(ApiPath.of("me")), type(Caller.class));
    }

    // ---- apps

    public AppPage apps(AppQuery query) {
        ApiPath path = ApiPath.of("apps").query("name", query.name()).query("tag", query.tag())
                .query("visibility", query.visibility()).query("owner", query.owner()).query("q", query.q())
                .query("latest", query.latest() ? "true" : null).query("limit", query.limit()).query("offset", query.offset());
        return transport.call(get(path), type(AppPage.class));
    }

    public App app(String name, String version) {
        return transport.call(get(ApiPath.of("apps", name, version)), type(App.class));
    }

    /** The newest version of an app that the caller may see, if any. */
    public Optional<App> latestVersion(String name) {
        return apps(AppQuery.latestVersions().withName(name)).items().stream().findFirst();
    }

    /** Uploads a {@code .wave} file, streamed from disk; visibility null means the store's default (PRIVATE). */
    public App upload(Path waveFile, Visibility visibility, TransferListener listener) {
        long size = size(waveFile);
        AtomicLong sent = new AtomicLong();
        Source<ByteString, CompletionStage<IOResult>> data = FileIO.fromPath(waveFile).map(chunk -> {
            listener.transferred(sent.addAndGet(chunk.size()), size);
            return chunk;
        });
        ContentType zip = ContentTypes.create(MediaTypes.APPLICATION_ZIP);
        HttpRequest request = transport.request(ApiPath.of("apps").query("visibility", visibility))
                .withMethod(HttpMethods.POST)
                // an empty file still goes: the store says what is wrong with it
                .withEntity(size == 0 ? HttpEntities.create(zip, new byte[0]) : HttpEntities.create(zip, size, data));
        HttpResponse response = HttpTransport.await(http().singleRequest(request), transport.settings().transferTimeout());
        return transport.read(response, type(App.class));
    }

    /** Changes an app version's visibility, its tags (replacing them), or both; null leaves a part as it is. */
    public App changeApp(String name, String version, Visibility visibility, List<String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        putIfSet(body, "visibility", visibility);
        putIfSet(body, "tags", tags);
        return transport.call(json(HttpMethods.PATCH, ApiPath.of("apps", name, version), body), type(App.class));
    }

    public void deleteApp(String name, String version) {
        transport.call(transport.request(ApiPath.of("apps", name, version)).withMethod(HttpMethods.DELETE), null);
    }

    /**
     * Downloads an app version's bundle to {@code target}, streamed; it appears there complete or not at all.
     *
     * @return the number of bytes written
     */
    public long downloadBundle(String name, String version, Path target, TransferListener listener) {
        HttpResponse response = transport.send(get(ApiPath.of("apps", name, version, "bundle")));
        transport.failIfNotSuccess(response);
        long total = response.entity().getContentLengthOption().orElse(-1L);
        AtomicLong received = new AtomicLong();
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            HttpTransport.await(response.entity().withoutSizeLimit().getDataBytes()
                    .map(chunk -> {
                        listener.transferred(received.addAndGet(chunk.size()), total);
                        return chunk;
                    })
                    .runWith(FileIO.toPath(partial), materializer()), transport.settings().transferTimeout());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return received.get();
        } catch (IOException e) {
            throw new WavestoreException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    // ---- instances

    /** Starts an instance of an app version; visibility null means the store's default. */
    public Instance run(String app, String version, Visibility visibility) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("app", app);
        body.put("version", version);
        putIfSet(body, "visibility", visibility);
        return transport.call(json(HttpMethods.POST, ApiPath.of("instances"), body), type(Instance.class));
    }

    /** The caller's instances (an admin's: everyone's), filtered by owner and app when those are not null. */
    public List<Instance> instances(String owner, String app) {
        return transport.call(get(ApiPath.of("instances").query("owner", owner).query("app", app)),
                TYPES.constructCollectionType(List.class, Instance.class));
    }

    public Instance instance(String id) {
        return transport.call(get(ApiPath.of("instances", id)), type(Instance.class));
    }

    public Instance suspend(String id) {
        return transport.call(json(HttpMethods.POST, ApiPath.of("instances", id, "suspend"), null), type(Instance.class));
    }

    public Instance resume(String id) {
        return transport.call(json(HttpMethods.POST, ApiPath.of("instances", id, "resume"), null), type(Instance.class));
    }

    /** Moves an instance to another version of its app, changes who may use it, or both; null leaves a part. */
    public Instance updateInstance(String id, String version, Visibility visibility) {
        Map<String, Object> body = new LinkedHashMap<>();
        putIfSet(body, "version", version);
        putIfSet(body, "visibility", visibility);
        return transport.call(json(HttpMethods.PATCH, ApiPath.of("instances", id), body), type(Instance.class));
    }

    /** Terminates an instance and removes its data. */
    public void terminate(String id) {
        transport.call(transport.request(ApiPath.of("instances", id)).withMethod(HttpMethods.DELETE), null);
    }

    /** The last {@code tail} lines of the instance's log. */
    public String logs(String id, int tail) {
        return transport.text(transport.send(get(ApiPath.of("instances", id, "logs").query("tail", tail))));
    }

    /**
     * The instance's log from its last {@code tail} lines on, line by line as it is written, until the instance
     * ends or the stream is cancelled. The store's keep-alive carriage returns are dropped.
     */
    public Source<String, NotUsed> followLogs(String id, int tail) {
        HttpRequest request = get(ApiPath.of("instances", id, "logs").query("tail", tail).query("follow", "true"));
        return Source.completionStage(http().singleRequest(request))
                .mapError(new org.apache.pekko.japi.pf.PFBuilder<Throwable, Throwable>()
                        .matchAny(HttpTransport::translate).build())
                .flatMapConcat(response -> {
                    if (response.status().intValue() >= 400) {
                        return Source.completionStage(transport.strict(response))
                                .<String>map(entity -> {
                                    throw HttpTransport.refusal(response, entity);
                                });
                    }
                    return response.entity().withoutSizeLimit().getDataBytes()
                            .via(Framing.delimiter(ByteString.fromString("\n"), MAX_LOG_LINE, FramingTruncation.ALLOW))
                            .map(line -> line.utf8String().replace("\r", ""))
                            .mapMaterializedValue(m -> NotUsed.getInstance());
                });
    }

    /** Follows the log (see {@link #followLogs(String, int)}), handing each line to {@code onLine}. */
    public CompletionStage<Done> followLogs(String id, int tail, Consumer<String> onLine) {
        return followLogs(id, tail).runForeach(onLine::accept, materializer());
    }

    /**
     * Asks for the instance every {@code every} until {@code condition} holds, telling {@code onChange} each state that
     * differs from the last; gives up with {@link WavestoreException} after {@code within}.
     */
    public Instance awaitInstance(String id, java.util.function.Predicate<Instance> condition, Duration within,
            Consumer<Instance> onChange) {
        return new InstanceWatch(this, id, Duration.ofMillis(500)).await(condition, within, onChange);
    }

    // ---- tags

    public List<Tag> tags() {
        return transport.call(get(ApiPath.of("tags")), TYPES.constructCollectionType(List.class, Tag.class));
    }

    public Tag createTag(TagChange tag) {
        return transport.call(json(HttpMethods.POST, ApiPath.of("tags"), tag), type(Tag.class));
    }

    public Tag changeTag(String name, TagChange change) {
        return transport.call(json(HttpMethods.PATCH, ApiPath.of("tags", name), change), type(Tag.class));
    }

    public void deleteTag(String name) {
        transport.call(transport.request(ApiPath.of("tags", name)).withMethod(HttpMethods.DELETE), null);
    }

    // ---- aliases

    /** Aliases, all or those of one instance (instance null: all). */
    public List<Alias> aliases(String instance) {
        return transport.call(get(ApiPath.of("aliases").query("instance", instance)),
                TYPES.constructCollectionType(List.class, Alias.class));
    }

    public Alias alias(String name) {
        return transport.call(get(ApiPath.of("aliases", name)), type(Alias.class));
    }

    /** Creates an alias, pointing at an instance unless it is null; primary null lets the store decide. */
    public Alias createAlias(String name, String instance, Boolean primary) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        putIfSet(body, "instance", instance);
        putIfSet(body, "primary", primary);
        return transport.call(json(HttpMethods.POST, ApiPath.of("aliases"), body), type(Alias.class));
    }

    public Alias pointAlias(String name, String instance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instance", instance);
        return transport.call(json(HttpMethods.PUT, ApiPath.of("aliases", name, "instance"), body), type(Alias.class));
    }

    public Alias makePrimary(String name) {
        return transport.call(json(HttpMethods.PUT, ApiPath.of("aliases", name, "primary"), null), type(Alias.class));
    }

    public void deleteAlias(String name) {
        transport.call(transport.request(ApiPath.of("aliases", name)).withMethod(HttpMethods.DELETE), null);
    }

    // ---- secrets (values are sent, never read back)

    /** The secrets the caller may see: names, scopes and keys, never values. */
    public List<Secret> secrets() {
        return transport.call(get(ApiPath.of("secrets")), TYPES.constructCollectionType(List.class, Secret.class));
    }

    public Secret secret(String id) {
        return transport.call(get(ApiPath.of("secrets", id)), type(Secret.class));
    }

    /** Creates a secret; its values are written once and the store never returns them. */
    public Secret createSecret(NewSecret secret) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", secret.name());
        body.put("scope", secret.scope());
        putIfSet(body, "app", secret.app());
        body.put("values", secret.values());
        return transport.call(json(HttpMethods.POST, ApiPath.of("secrets"), body), type(Secret.class));
    }

    /** Replaces every key and value of a secret (its name and scope stay). */
    public Secret replaceSecret(String id, Map<String, String> values) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("values", values);
        return transport.call(json(HttpMethods.PUT, ApiPath.of("secrets", id), body), type(Secret.class));
    }

    /** Deletes a secret; instances that need it fail their next start. */
    public void deleteSecret(String id) {
        transport.call(transport.request(ApiPath.of("secrets", id)).withMethod(HttpMethods.DELETE), null);
    }

    // ---- personal API tokens

    public List<ApiToken> tokens() {
        record TokenList(List<ApiToken> items) {
        }
        TokenList list = transport.call(get(ApiPath.of("tokens")), type(TokenList.class));
        return list.items() == null ? List.of() : list.items();
    }

    /** Creates a token; the answer's {@code token} is the only time the store shows it. expiresAt null: never. */
    public ApiToken createToken(String name, Instant expiresAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        putIfSet(body, "expiresAt", expiresAt);
        return transport.call(json(HttpMethods.POST, ApiPath.of("tokens"), body), type(ApiToken.class));
    }

    public void revokeToken(String id) {
        transport.call(transport.request(ApiPath.of("tokens", id)).withMethod(HttpMethods.DELETE), null);
    }

    @Override
    public void close() {
        if (ownSystem != null) {
            ownSystem.terminate();
            HttpTransport.await(ownSystem.getWhenTerminated(), Duration.ofSeconds(10));
        }
    }

    // ---- plumbing

    private HttpRequest get(ApiPath path) {
        return transport.request(path);
    }

    private HttpRequest json(org.apache.pekko.http.javadsl.model.HttpMethod method, ApiPath path, Object body) {
        HttpRequest request = transport.request(path).withMethod(method);
        if (body == null) {
            return request;
        }
        try {
            return request.withEntity(ContentTypes.APPLICATION_JSON, ClientJson.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw HttpTransport.translate(e);
        }
    }

    private Http http() {
        return transport.http();
    }

    private Materializer materializer() {
        return transport.materializer();
    }

    private static JavaType type(Class<?> type) {
        return TYPES.constructType(type);
    }

    private static void putIfSet(Map<String, Object> body, String name, Object value) {
        if (value != null) {
            body.put(name, value);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new WavestoreException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a partial download left behind is named *.part: harmless, and the next download replaces it
        }
    }

    /** How a client is made: the store's URL, credentials, settings, and optionally an actor system to run on. */
    public static final class Builder {
        private final URI store;
        private Credentials credentials = Credentials.none();
        private Config config;
        private ClassicActorSystemProvider system;

        private Builder(URI store) {
            this.store = store;
        }

        public Builder credentials(Credentials value) {
            this.credentials = value;
            return this;
        }

        /** The configuration to read {@code wavestore.client} from; default: {@code ConfigFactory.load()}. */
        public Builder config(Config value) {
            this.config = value;
            return this;
        }

        /** Runs on this actor system instead of starting one; {@link #close()} then leaves it running. */
        public Builder actorSystem(ClassicActorSystemProvider value) {
            this.system = value;
            return this;
        }

        public WavestoreClient build() {
            Config base = config != null ? config : ConfigFactory.load();
            ClientSettings settings = ClientSettings.from(base);
            ActorSystem own = null;
            ClassicActorSystemProvider runOn = system;
            if (runOn == null) {
                own = ActorSystem.create("wavestore-client", ConfigFactory.parseMap(Map.of(
                                "pekko.loglevel", settings.logLevel(),
                                "pekko.stdout-loglevel", settings.logLevel(),
                                "pekko.http.host-connection-pool.max-retries", settings.maxRetries(),
                                // only HTTP: no remoting, even where the class path holds a store's cluster settings
                                "pekko.actor.provider", "local",
                                // a forgotten close() must not keep a command line's JVM alive
                                "pekko.daemonic", "on"))
                        .withFallback(base));
                runOn = own;
            }
            HttpTransport transport = new HttpTransport(store, credentials, Http.get(runOn),
                    Materializer.matFromSystem(runOn), settings);
            return new WavestoreClient(store, transport, own);
        }
    }
}
