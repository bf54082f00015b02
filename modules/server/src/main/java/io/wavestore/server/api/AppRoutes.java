package io.wavestore.server.api;

import io.wavestore.activity.ActivityKind;
import java.util.Map;

import io.wavestore.server.problem.Problem;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.model.AppQuery;
import io.wavestore.catalog.model.AppUpdate;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.catalog.model.BlobDownload;
import io.wavestore.catalog.model.Page;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CallerResolver;
import io.wavestore.identity.CatalogAccess;
import io.wavestore.identity.Visibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.StreamConverters;

/**
 * {@code /api/v1/apps}: upload bundles, list and read app versions, change their settings, delete them, and
 * download their icon, screenshots and bundle.
 */
public final class AppRoutes extends ApiSupport {

    private final ActivityFacts facts;
    private final Path uploadDir;
    private final long maxUploadBytes;
    private final Optional<ActorRef<io.wavestore.scheduler.ReleaseWatcher.Command>> instances;

    public AppRoutes(ActorSystem<?> system, ActorRef<CatalogActor.Command> catalog, CallerResolver identity, ObjectMapper mapper,
            Duration askTimeout, Path uploadDir, long maxUploadBytes,
            Optional<ActorRef<io.wavestore.scheduler.ReleaseWatcher.Command>> instances) {
        super(system, catalog, identity, mapper, askTimeout);
        this.facts = new ActivityFacts(system);
        this.uploadDir = uploadDir;
        this.maxUploadBytes = maxUploadBytes;
        this.instances = instances;
    }

    public Route routes() {
        return pathPrefix("apps", () -> withCaller(caller -> concat(
                pathEnd(() -> concat(
                        get(() -> list(caller)),
                        post(() -> upload(caller)))),
                pathPrefix(PathMatchers.segment(), name -> pathPrefix(PathMatchers.segment(), version -> concat(
                        pathEnd(() -> concat(
                                get(() -> onSuccess(this.<AppVersion>ask(r -> new CatalogActor.GetApp(name, version, caller, r)),
                                        app -> json(StatusCodes.OK, AppView.of(app)))),
                                patch(() -> entity(body(AppPatch.class), patch -> update(caller, name, version, patch))),
                                delete(() -> extractRequest(request -> onSuccess(mayDelete(caller, name, version)
                                                .thenCompose(app -> notInUse(name, version)
                                                        .thenCompose(free -> this.<CatalogActor.Done>ask(
                                                                r -> new CatalogActor.DeleteApp(name, version, caller, r)))
                                                        .thenApply(done -> {
                                                            facts.app(ActivityFacts.actor(caller, request),
                                                                    ActivityKind.APP_VERSION_DELETED, app, Map.of());
                                                            return done;
                                                        })),
                                        done -> complete(StatusCodes.NO_CONTENT)))))),
                        path("icon", () -> get(() -> download(
                                this.<BlobDownload>ask(r -> new CatalogActor.OpenImage(name, version, OptionalInt.empty(), caller, r)), false))),
                        path(PathMatchers.segment("screenshots").slash(PathMatchers.integerSegment()), index -> get(() -> download(
                                this.<BlobDownload>ask(r -> new CatalogActor.OpenImage(name, version, OptionalInt.of(index), caller, r)), false))),
                        path("bundle", () -> get(() -> download(
                                this.<BlobDownload>ask(r -> new CatalogActor.OpenBundle(name, version, caller, r)), true)))))))));
    }

    private Route list(Caller caller) {
        return parameterOptional("name", name -> parameterOptional("tag", tag -> parameterOptional("visibility", vis ->
                parameterOptional("owner", owner -> parameterOptional("q", text -> parameterOptional("latest", latest ->
                        parameterOptional("limit", limit -> parameterOptional("offset", offset -> {
                            AppQuery query = new AppQuery(nonBlank(name), nonBlank(tag), visibility(vis, "visibility"),
                                    nonBlank(owner), nonBlank(text), bool(latest, "latest"),
                                    number(limit, "limit", AppQuery.DEFAULT_LIMIT, 1, AppQuery.MAX_LIMIT),
                                    number(offset, "offset", 0, 0, Integer.MAX_VALUE));
                            return extractUri(uri -> onSuccess(this.<Page<AppVersion>>ask(r -> new CatalogActor.ListApps(query, caller, r)),
                                    page -> json(StatusCodes.OK, page(page, uri, query))));
                        }))))))));
    }

    /**
     * Who may delete is decided before anything else is said about the app version: one the caller cannot see is not
     * found (as if missing), one they see but do not manage is forbidden; only then is "in use" told.
     */
    private CompletionStage<AppVersion> mayDelete(Caller caller, String name, String version) {
        return this.<AppVersion>ask(r -> new CatalogActor.GetApp(name, version, caller, r)).thenApply(app -> {
            if (!CatalogAccess.canManage(caller, app.ownerId())) {
                throw new io.wavestore.catalog.CatalogException(io.wavestore.catalog.CatalogError.FORBIDDEN,
                        "only the owner of " + name + " " + version + " or an admin may delete it");
            }
            return app;
        });
    }

    /** An app version that instances run cannot be deleted: they would lose their bundle. */
    private CompletionStage<Boolean> notInUse(String name, String version) {
        if (instances.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(true);
        }
        CompletionStage<Integer> count = org.apache.pekko.actor.typed.javadsl.AskPattern.ask(instances.get(),
                replyTo -> new io.wavestore.scheduler.ReleaseWatcher.CountInstancesOf(name, version, replyTo), askTimeout,
                system.scheduler());
        return count.thenApply(n -> {
            if (n > 0) {
                throw new ApiException(Problem.of("app-in-use", "App version in use", 409, name + " " + version + " has " + n
                        + " instance(s); terminate them before deleting it", null));
            }
            return true;
        });
    }

    private static PageView<AppView> page(Page<AppVersion> page, org.apache.pekko.http.javadsl.model.Uri uri, AppQuery query) {
        String next = null;
        if (query.offset() + page.items().size() < page.total()) {
            next = uri.path() + "?" + uri.query().withParam("offset", Integer.toString(query.offset() + query.limit())).render(org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8);
        }
        return new PageView<>(page.items().stream().map(AppView::of).toList(), page.total(), page.limit(), page.offset(), next);
    }

    /**
     * The body is the raw {@code .wave} file. It is streamed to a temporary file (never held in memory) under the
     * size limit, imported, and the temporary file removed whatever happens.
     */
    private Route upload(Caller caller) {
        return parameterOptional("visibility", vis -> {
            Visibility visibility = visibility(vis, "visibility").orElse(Visibility.PRIVATE);
            if (!caller.signedIn()) {
                return failWith(new io.wavestore.catalog.CatalogException(
                        io.wavestore.catalog.CatalogError.SIGN_IN_REQUIRED, "sign in to upload apps"));
            }
            if (!CatalogAccess.canUpload(caller)) {
                return failWith(new io.wavestore.catalog.CatalogException(
                        io.wavestore.catalog.CatalogError.FORBIDDEN, "visitors cannot upload apps"));
            }
            return withSizeLimit(maxUploadBytes, () -> extractRequest(request -> extractRequestEntity(entity -> {
                Path file = newUploadFile();
                CompletionStage<AppVersion> imported = entity.getDataBytes()
                        .runWith(FileIO.toPath(file), system)
                        .thenCompose(written -> this.<AppVersion>ask(r -> new CatalogActor.ImportBundle(file, caller, visibility, r)));
                CompletionStage<AppVersion> cleaned = imported.whenComplete((app, error) -> deleteQuietly(file))
                        .thenApply(app -> {
                            facts.app(ActivityFacts.actor(caller, request), ActivityKind.APP_VERSION_UPLOADED, app,
                                    Map.of("visibility", app.visibility().name()));
                            return app;
                        });
                return onSuccess(cleaned, app -> respondWithHeader(Location.create(ApiPaths.app(app.name(), app.version())),
                        () -> json(StatusCodes.CREATED, AppView.of(app))));
            })));
        });
    }

    private Route update(Caller caller, String name, String version, AppPatch patch) {
        Optional<Visibility> visibility = visibility(Optional.ofNullable(patch.visibility()), "visibility");
        Optional<java.util.Set<String>> tags = Optional.ofNullable(patch.tags()).map(list -> {
            if (list.stream().anyMatch(t -> t == null || t.isBlank())) {
                throw ApiException.badParameter("tags", "tags must be tag names, not empty");
            }
            return new LinkedHashSet<>(list);
        });
        AppUpdate update = new AppUpdate(visibility, tags);
        return extractRequest(request -> onSuccess(
                this.<AppVersion>ask(r -> new CatalogActor.UpdateApp(name, version, update, caller, r)).thenApply(app -> {
                    Map<String, String> details = new java.util.LinkedHashMap<>();
                    visibility.ifPresent(v -> details.put("visibility", v.name()));
                    tags.ifPresent(t -> details.put("tags", String.join(",", t)));
                    facts.app(ActivityFacts.actor(caller, request), ActivityKind.APP_VERSION_CHANGED, app, details);
                    return app;
                }),
                app -> json(StatusCodes.OK, AppView.of(app))));
    }

    private Path newUploadFile() {
        try {
            Files.createDirectories(uploadDir);
            return Files.createTempFile(uploadDir, "upload-", ".wave");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create an upload file in " + uploadDir, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind only if the disk fails; the data directory's tmp is cleared at start.
        }
    }

    private static boolean bool(Optional<String> value, String field) {
        return value.map(v -> switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "" -> true;
            case "false", "0", "no" -> false;
            default -> throw ApiException.badParameter(field, field + " must be true or false, not '" + v + "'");
        }).orElse(false);
    }
}
