package io.wavestore.catalog;

import io.wavestore.bundle.AppManifest;
import io.wavestore.bundle.BundleException;
import io.wavestore.bundle.BundleImage;
import io.wavestore.bundle.BundleReader;
import io.wavestore.bundle.OpenedBundle;
import io.wavestore.catalog.blob.BlobContent;
import io.wavestore.catalog.blob.BlobInfo;
import io.wavestore.catalog.blob.BlobPut;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.db.AppDao;
import io.wavestore.catalog.db.AppListing;
import io.wavestore.catalog.db.AppRow;
import io.wavestore.catalog.db.ImageDao;
import io.wavestore.catalog.db.ImageRow;
import io.wavestore.catalog.db.TagDao;
import io.wavestore.catalog.db.TagRow;
import io.wavestore.catalog.model.AppImage;
import io.wavestore.catalog.model.AppQuery;
import io.wavestore.catalog.model.AppUpdate;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.catalog.model.BlobDownload;
import io.wavestore.catalog.model.Page;
import io.wavestore.catalog.model.Tag;
import io.wavestore.catalog.model.TagSpec;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CatalogAccess;
import io.wavestore.identity.Visibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog's rules over PostgreSQL and blob storage. Blocking: the {@link CatalogActor} runs it on its
 * dedicated dispatcher. Every operation checks the caller against {@link CatalogAccess}; an app the caller may
 * not see is "not found", so its existence does not leak.
 */
public final class CatalogService {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogService.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final BundleReader reader;
    private final Path workDir;
    private final Clock clock;

    public CatalogService(Jdbi jdbi, BlobStore blobs, BundleReader reader, Path workDir, Clock clock) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.reader = reader;
        this.workDir = workDir;
        this.clock = clock;
    }

    // ---- apps ----

    /**
     * Imports an uploaded bundle. Atomic: when any step fails, no row is written and every blob this import
     * created is removed again.
     */
    public AppVersion importBundle(Path waveFile, Caller caller, Visibility visibility) throws BundleException, IOException {
        requireSignedIn(caller);
        if (!CatalogAccess.canUpload(caller)) {
            throw new CatalogException(CatalogError.FORBIDDEN, "visitors cannot upload apps");
        }
        Files.createDirectories(workDir);
        Path extractDir = Files.createTempDirectory(workDir, "import-");
        try {
            OpenedBundle bundle = reader.open(waveFile, extractDir.resolve("app"));
            AppManifest manifest = bundle.manifest();
            checkNameAndVersionFree(manifest, caller);
            List<String> tags = checkTagsExist(manifest.app().tags(), "App.Tags");
            List<String> created = new ArrayList<>();
            try {
                UUID id = BlobLock.shared(jdbi, handle -> storeAndInsert(handle, waveFile, bundle, caller, visibility, tags, created));
                LOG.info("imported {} {} for {} ({} blobs new)", manifest.app().name(), manifest.app().version(), caller.id(),
                        created.size());
                return loadById(id);
            } catch (IOException | RuntimeException e) {
                removeUnreferenced(created);
                throw e;
            }
        } finally {
            deleteTree(extractDir);
        }
    }

    public Page<AppVersion> list(AppQuery query, Caller caller) {
        return jdbi.withHandle(handle -> {
            AppListing.Result result = AppListing.list(handle, query, caller);
            return new Page<>(assemble(handle, result.rows()), result.total(), query.limit(), query.offset());
        });
    }

    public AppVersion get(String name, String version, Caller caller) {
        return jdbi.withHandle(handle -> visible(handle, name, version, caller));
    }

    /**
     * The app version whatever its visibility: for the store's own use (the scheduler starting or checking an
     * instance), never for answering a caller.
     */
    public Optional<AppVersion> find(String name, String version) {
        return jdbi.withHandle(handle -> handle.attach(AppDao.class).find(name, version)
                .map(row -> assemble(handle, List.of(row)).get(0)));
    }

    public AppVersion update(String name, String version, AppUpdate update, Caller caller) {
        requireSignedIn(caller);
        update.tags().ifPresent(tags -> checkTagsExist(List.copyOf(tags), "tags"));
        return jdbi.inTransaction(handle -> {
            AppVersion app = visible(handle, name, version, caller);
            requireManager(caller, app);
            update.visibility().ifPresent(v -> handle.attach(AppDao.class).updateVisibility(app.id(), v.name()));
            update.tags().ifPresent(tags -> {
                TagDao tagDao = handle.attach(TagDao.class);
                tagDao.clear(app.id());
                tags.forEach(tag -> tagDao.assign(app.id(), tag));
            });
            return assemble(handle, List.of(handle.attach(AppDao.class).find(name, version).orElseThrow())).get(0);
        });
    }

    /** Deletes an app version and the blobs that nothing else points to. */
    public void delete(String name, String version, Caller caller) {
        requireSignedIn(caller);
        BlobLock.exclusive(jdbi, handle -> {
            AppVersion app = visible(handle, name, version, caller);
            requireManager(caller, app);
            handle.attach(AppDao.class).delete(app.id());
            Set<String> digests = new LinkedHashSet<>();
            digests.add(app.bundleDigest());
            app.icon().ifPresent(icon -> digests.add(icon.digest()));
            app.screenshots().forEach(s -> digests.add(s.digest()));
            deleteIfUnreferenced(handle, digests);
            LOG.info("deleted {} {} by {}", name, version, caller.id());
            return null;
        });
    }

    public BlobDownload icon(String name, String version, Caller caller) throws IOException {
        AppVersion app = get(name, version, caller);
        AppImage icon = app.icon().orElseThrow(() -> new CatalogException(CatalogError.IMAGE_NOT_FOUND,
                name + " " + version + " has no icon"));
        return download(icon.digest(), icon.mediaType(), name + "-icon" + extension(icon.mediaType()));
    }

    public BlobDownload screenshot(String name, String version, int index, Caller caller) throws IOException {
        AppVersion app = get(name, version, caller);
        if (index < 0 || index >= app.screenshots().size()) {
            throw new CatalogException(CatalogError.IMAGE_NOT_FOUND,
                    name + " " + version + " has " + app.screenshots().size() + " screenshots; there is no number " + index);
        }
        AppImage shot = app.screenshots().get(index);
        return download(shot.digest(), shot.mediaType(), name + "-screenshot" + index + extension(shot.mediaType()));
    }

    /** The bundle for an instance's launcher: the store checked the launcher's credential, not a caller. */
    public BlobDownload bundleForInstance(String name, String version) throws IOException {
        AppVersion app = find(name, version).orElseThrow(() -> appNotFound(name, version));
        return download(app.bundleDigest(), "application/zip", name + "-" + version + ".wave");
    }

    public BlobDownload bundle(String name, String version, Caller caller) throws IOException {
        AppVersion app = get(name, version, caller);
        return download(app.bundleDigest(), "application/zip", name + "-" + version + ".wave");
    }

    // ---- tags ----

    public List<Tag> listTags() {
        return jdbi.withExtension(TagDao.class, dao -> dao.list().stream().map(CatalogService::tag).toList());
    }

    public Tag createTag(String name, TagSpec spec, Caller caller) {
        requireTagAdmin(caller);
        TagRules.checkName(name);
        TagRules.check(spec);
        TagRow row = new TagRow(name, spec.title().orElse(name), spec.color().orElse(TagRules.DEFAULT_COLOR),
                spec.description().orElse(""), spec.visitorRoles().orElse(Set.of()).toArray(String[]::new), now());
        try {
            jdbi.useExtension(TagDao.class, dao -> dao.insert(row));
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw new CatalogException(CatalogError.TAG_EXISTS, "tag '" + name + "' already exists", "name");
            }
            throw e;
        }
        return tag(row);
    }

    public Tag updateTag(String name, TagSpec spec, Caller caller) {
        requireTagAdmin(caller);
        TagRules.check(spec);
        return jdbi.inTransaction(handle -> {
            TagDao dao = handle.attach(TagDao.class);
            TagRow old = dao.find(name).orElseThrow(() -> tagNotFound(name));
            TagRow row = new TagRow(name, spec.title().orElse(old.title()), spec.color().orElse(old.color()),
                    spec.description().orElse(old.description()),
                    spec.visitorRoles().map(r -> r.toArray(String[]::new)).orElse(old.visitorRoles()), old.createdAt());
            dao.update(row);
            return tag(row);
        });
    }

    public void deleteTag(String name, Caller caller) {
        requireTagAdmin(caller);
        if (jdbi.withExtension(TagDao.class, dao -> dao.delete(name)) == 0) {
            throw tagNotFound(name);
        }
    }

    // ---- housekeeping ----

    /**
     * Deletes blobs that no row points to and that are older than {@code grace}: what an import left when its
     * replica died between writing a blob and committing.
     *
     * @return how many blobs were deleted
     */
    public int collectOrphans(Duration grace) {
        return BlobLock.exclusive(jdbi, handle -> {
            Set<String> referenced = new HashSet<>(handle.attach(AppDao.class).referencedDigests());
            Instant cutoff = now().minus(grace);
            int deleted = 0;
            try {
                for (BlobInfo blob : blobs.list()) {
                    if (!referenced.contains(blob.digest()) && blob.lastModified().isBefore(cutoff)) {
                        blobs.delete(blob.digest());
                        deleted++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("collecting orphan blobs in " + blobs.describe(), e);
            }
            if (deleted > 0) {
                LOG.info("collected {} orphan blobs", deleted);
            }
            return deleted;
        });
    }

    // ---- internals ----

    private UUID storeAndInsert(Handle handle, Path waveFile, OpenedBundle bundle, Caller caller, Visibility visibility,
            List<String> tags, List<String> created) throws IOException {
        AppManifest manifest = bundle.manifest();
        BlobPut bundleBlob = put(waveFile, created);
        List<ImageRow> images = new ArrayList<>();
        UUID id = UUID.randomUUID();
        if (bundle.icon().isPresent()) {
            images.add(imageRow(id, "icon", 0, bundle.icon().get(), put(bundle.icon().get().file(), created)));
        }
        for (int i = 0; i < bundle.screenshots().size(); i++) {
            BundleImage shot = bundle.screenshots().get(i);
            images.add(imageRow(id, "screenshot", i, shot, put(shot.file(), created)));
        }
        AppRow row = new AppRow(id, manifest.app().name(), manifest.app().version(), VersionKey.of(manifest.app().version()),
                manifest.app().title(), manifest.app().description(), bundle.longDescription().orElse(null), caller.id(),
                visibility.name(), manifest.app().instanceLifecycle().name(), ManifestJson.write(manifest),
                bundleBlob.digest(), bundleBlob.size(), now());
        try {
            handle.useTransaction(tx -> {
                tx.attach(AppDao.class).insert(row);
                ImageDao imageDao = tx.attach(ImageDao.class);
                images.forEach(imageDao::insert);
                TagDao tagDao = tx.attach(TagDao.class);
                tags.forEach(tag -> tagDao.assign(id, tag));
            });
        } catch (UnableToExecuteStatementException e) {
            if (isUniqueViolation(e)) {
                throw versionExists(manifest);
            }
            throw e;
        }
        return id;
    }

    private BlobPut put(Path file, List<String> created) throws IOException {
        BlobPut put = blobs.put(file);
        if (put.created()) {
            created.add(put.digest());
        }
        return put;
    }

    /** After a failed import: delete the blobs it created unless a row (of another import) points to them. */
    private void removeUnreferenced(Collection<String> digests) {
        if (digests.isEmpty()) {
            return;
        }
        try {
            BlobLock.exclusive(jdbi, handle -> {
                deleteIfUnreferenced(handle, digests);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not remove the blobs of a failed import now; orphan collection will: {}", e.toString());
        }
    }

    private void deleteIfUnreferenced(Handle handle, Collection<String> digests) {
        AppDao dao = handle.attach(AppDao.class);
        for (String digest : digests) {
            if (!dao.isReferenced(digest)) {
                try {
                    blobs.delete(digest);
                } catch (IOException e) {
                    LOG.warn("could not delete blob {}; orphan collection will: {}", digest, e.toString());
                }
            }
        }
    }

    private void checkNameAndVersionFree(AppManifest manifest, Caller caller) {
        String name = manifest.app().name();
        jdbi.useExtension(AppDao.class, dao -> {
            if (dao.find(name, manifest.app().version()).isPresent()) {
                throw versionExists(manifest);
            }
            List<String> owners = dao.ownersOf(name);
            if (!owners.isEmpty() && !owners.contains(caller.id())) {
                throw new CatalogException(CatalogError.APP_NAME_TAKEN,
                        "the app name '" + name + "' belongs to another owner; choose another App.Name", "App.Name");
            }
        });
    }

    private List<String> checkTagsExist(List<String> tags, String field) {
        if (tags.isEmpty()) {
            return List.of();
        }
        Set<String> wanted = new LinkedHashSet<>(tags);
        Set<String> existing = new HashSet<>(jdbi.withExtension(TagDao.class, dao -> dao.existing(wanted.toArray(String[]::new))));
        List<String> missing = wanted.stream().filter(tag -> !existing.contains(tag)).toList();
        if (!missing.isEmpty()) {
            throw new CatalogException(CatalogError.INVALID_FIELD,
                    "unknown tag(s) " + String.join(", ", missing) + ": an admin creates tags before apps use them", field);
        }
        return List.copyOf(wanted);
    }

    private AppVersion visible(Handle handle, String name, String version, Caller caller) {
        AppRow row = handle.attach(AppDao.class).find(name, version).orElseThrow(() -> appNotFound(name, version));
        AppVersion app = assemble(handle, List.of(row)).get(0);
        if (!CatalogAccess.canSee(caller, facts(handle, app))) {
            throw appNotFound(name, version);
        }
        return app;
    }

    private CatalogAccess.AppFacts facts(Handle handle, AppVersion app) {
        List<Set<String>> tagRoles = handle.attach(TagDao.class).forApps(new UUID[] {app.id()}).stream()
                .map(row -> Set.of(row.visitorRoles()))
                .toList();
        return new CatalogAccess.AppFacts(app.ownerId(), app.visibility(), tagRoles);
    }

    private AppVersion loadById(UUID id) {
        return jdbi.withHandle(handle -> {
            AppRow row = handle.createQuery("SELECT " + AppDao.COLUMNS + " FROM apps WHERE id = :id")
                    .bind("id", id)
                    .map(org.jdbi.v3.core.mapper.reflect.ConstructorMapper.of(AppRow.class))
                    .one();
            return assemble(handle, List.of(row)).get(0);
        });
    }

    /** Turns rows into app versions, loading the tags and images of all of them in two queries. */
    private static List<AppVersion> assemble(Handle handle, List<AppRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        UUID[] ids = rows.stream().map(AppRow::id).toArray(UUID[]::new);
        Map<UUID, List<String>> tags = handle.attach(TagDao.class).forApps(ids).stream()
                .collect(Collectors.groupingBy(r -> r.appId(), Collectors.mapping(r -> r.tagName(), Collectors.toList())));
        Map<UUID, List<ImageRow>> images = handle.attach(ImageDao.class).forApps(ids).stream()
                .collect(Collectors.groupingBy(ImageRow::appId));
        return rows.stream().map(row -> {
            List<ImageRow> own = images.getOrDefault(row.id(), List.of());
            Optional<AppImage> icon = own.stream().filter(i -> i.kind().equals("icon")).findFirst().map(CatalogService::image);
            List<AppImage> screenshots = own.stream().filter(i -> i.kind().equals("screenshot"))
                    .sorted(Comparator.comparingInt(ImageRow::position))
                    .map(CatalogService::image)
                    .toList();
            return new AppVersion(row.id(), row.name(), row.version(), row.title(), row.description(),
                    Optional.ofNullable(row.longDescription()), row.ownerId(), Visibility.valueOf(row.visibility()),
                    io.wavestore.bundle.InstanceLifecycle.valueOf(row.lifecycle()), row.manifest(), row.bundleDigest(),
                    row.bundleSize(), row.createdAt(), tags.getOrDefault(row.id(), List.of()), icon, screenshots);
        }).toList();
    }

    private static AppImage image(ImageRow row) {
        AppImage.Kind kind = row.kind().equals("icon") ? AppImage.Kind.ICON : AppImage.Kind.SCREENSHOT;
        return new AppImage(kind, row.position(), row.digest(), row.mediaType(), row.size(), row.width(), row.height());
    }

    private static ImageRow imageRow(UUID appId, String kind, int position, BundleImage image, BlobPut put) {
        return new ImageRow(appId, kind, position, put.digest(), image.mediaType(), put.size(), image.width(), image.height());
    }

    private static Tag tag(TagRow row) {
        return new Tag(row.name(), row.title(), row.color(), row.description(), Set.of(row.visitorRoles()), row.createdAt());
    }

    private BlobDownload download(String digest, String mediaType, String fileName) throws IOException {
        BlobContent content = blobs.open(digest).orElseThrow(() -> {
            LOG.error("blob {} is referenced by the catalog but missing from {}", digest, blobs.describe());
            return new CatalogException(CatalogError.BLOB_MISSING, "the stored file is missing; an admin should re-upload it");
        });
        return new BlobDownload(content, mediaType, fileName, digest);
    }

    private static String extension(String mediaType) {
        return switch (mediaType) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/gif" -> ".gif";
            case "image/webp" -> ".webp";
            default -> "";
        };
    }

    private static void requireSignedIn(Caller caller) {
        if (!caller.signedIn()) {
            throw new CatalogException(CatalogError.SIGN_IN_REQUIRED, "sign in first");
        }
    }

    private static void requireManager(Caller caller, AppVersion app) {
        if (!CatalogAccess.canManage(caller, app.ownerId())) {
            throw new CatalogException(CatalogError.FORBIDDEN,
                    "only the owner of " + app.name() + " " + app.version() + " or an admin may change it");
        }
    }

    private static void requireTagAdmin(Caller caller) {
        requireSignedIn(caller);
        if (!CatalogAccess.canAdministerTags(caller)) {
            throw new CatalogException(CatalogError.FORBIDDEN, "only admins manage tags");
        }
    }

    private static CatalogException appNotFound(String name, String version) {
        return new CatalogException(CatalogError.APP_NOT_FOUND, "no app " + name + " version " + version);
    }

    private static CatalogException tagNotFound(String name) {
        return new CatalogException(CatalogError.TAG_NOT_FOUND, "no tag '" + name + "'");
    }

    private static CatalogException versionExists(AppManifest manifest) {
        return new CatalogException(CatalogError.APP_VERSION_EXISTS, manifest.app().name() + " version "
                + manifest.app().version() + " already exists; versions are immutable, raise App.Version", "App.Version");
    }

    private static boolean isUniqueViolation(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: truncate so that what we return equals what we read back.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove work directory {}: {}", dir, e.toString());
        }
    }
}
