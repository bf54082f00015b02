package io.wavestore.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.wavestore.bundle.BundleException;
import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.BundleReader;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.catalog.blob.BlobContent;
import io.wavestore.catalog.blob.BlobInfo;
import io.wavestore.catalog.blob.BlobPut;
import io.wavestore.catalog.blob.BlobStore;
import io.wavestore.catalog.blob.BlobStores;
import io.wavestore.database.Database;
import io.wavestore.catalog.model.AppQuery;
import io.wavestore.catalog.model.AppUpdate;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.catalog.model.TagSpec;
import io.wavestore.identity.Caller;
import io.wavestore.identity.CatalogAccess;
import io.wavestore.identity.Role;
import io.wavestore.identity.Visibility;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog's behaviour against a real PostgreSQL and a real blob store; subclasses choose the blob store.
 * Each test gets a fresh database schema state by truncating, and an empty blob store.
 */
@ExtendWith(PostgresExtension.class)
abstract class CatalogServiceContract {

    static final Caller OLGA = user("olga", Role.FULL_USER);
    static final Caller PAT = user("pat", Role.FULL_USER);
    static final Caller ADA = user("ada", Role.ADMIN);
    static final Caller VIC = new Caller("vic", "vic", Role.VISITOR, Set.of("partner"), Set.of(), false);
    static final Caller ANON = Caller.anonymous();

    @TempDir
    Path tmp;

    Database database;
    BlobStore blobs;
    CatalogService catalog;

    /** A new, empty blob store for one test. */
    abstract BlobStore newBlobStore(Path tmp) throws Exception;

    /** A store configured as a user would: these {@code wavestore.blob.*} settings over the defaults. */
    static BlobStore configuredBlobStore(Map<String, Object> settings, Path tmp) {
        return BlobStores.create(ConfigFactory.parseMap(settings).withFallback(ConfigFactory.defaultReference())
                .resolve().getConfig(BlobStores.CONFIG_PATH), tmp);
    }

    /** A bucket or container name no other test uses. */
    static String freshBucket() {
        return "catalog-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @BeforeEach
    void start(TestDatabase db) throws Exception {
        database = Database.start(ConfigFactory.parseMap(Map.of("url", db.url(), "user", db.user(), "password", db.password(),
                        "connection-timeout", "10s")) // a busy machine may take longer than the default 1.5 s
                .withFallback(ConfigFactory.defaultReference().getConfig(Database.CONFIG_PATH)), tmp);
        database.jdbi().useHandle(h -> h.execute("TRUNCATE apps, tags CASCADE"));
        blobs = newBlobStore(tmp);
        catalog = service(blobs);
    }

    @AfterEach
    void stop() throws Exception {
        database.jdbi().useHandle(h -> h.execute("DROP TRIGGER IF EXISTS fail_images ON app_images"));
        blobs.close();
        database.close();
    }

    CatalogService service(BlobStore store) {
        return new CatalogService(database.jdbi(), store, new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults()),
                tmp.resolve("work"), Clock.systemUTC());
    }

    Path bundle(WaveBundleBuilder builder) throws IOException {
        return builder.writeTo(Files.createTempFile(tmp, "b", ".wave"));
    }

    AppVersion importApp(String name, String version, Caller owner, Visibility visibility) throws Exception {
        return catalog.importBundle(bundle(WaveBundleBuilder.app(name, version)), owner, visibility);
    }

    long appRows() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM apps").mapTo(Long.class).one()
                + h.createQuery("SELECT count(*) FROM app_images").mapTo(Long.class).one());
    }

    @Test
    void importsAValidBundleWithItsImagesAndReadsItBack() throws Exception {
        AppVersion app = importApp("hello", "1.0.0", OLGA, Visibility.ALL_USERS);

        assertThat(app.name()).isEqualTo("hello");
        assertThat(app.title()).isEqualTo("App hello");
        assertThat(app.ownerId()).isEqualTo("olga");
        assertThat(app.longDescription()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING).contains("A *small* app.");
        assertThat(app.icon()).isPresent();
        assertThat(app.icon().get().width()).isEqualTo(64);
        assertThat(app.screenshots()).extracting(s -> s.position()).containsExactly(0, 1);
        assertThat(app.manifestJson()).contains("\"module\"");
        assertThat(blobs.list()).hasSize(4); // bundle, icon, two screenshots (different colours)

        try (var icon = catalog.icon("hello", "1.0.0", PAT).content().stream()) {
            byte[] bytes = icon.readAllBytes();
            assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        }
        assertThat(catalog.get("hello", "1.0.0", PAT)).isEqualTo(app);
    }

    @Test
    void hostileOrBrokenBundlesAreRefusedAndLeaveNoTrace() throws Exception {
        Map<String, WaveBundleBuilder> cases = new java.util.LinkedHashMap<>();
        cases.put("entry-escapes-root", WaveBundleBuilder.app("evil", "1.0.0").file("../../etc/evil.py", "x"));
        cases.put("missing-manifest", WaveBundleBuilder.app("evil", "1.0.0").without("app.toml"));
        cases.put("unparsable-manifest", WaveBundleBuilder.app("evil", "1.0.0").manifest("[App\nName = "));
        cases.put("invalid-manifest", WaveBundleBuilder.app("evil", "1.0.0").manifest("""
                [App]
                Name = "Not A DNS Label!"
                Version = "1.0.0"
                Title = "x"
                Description = "x"
                [Runtime]
                Module = "app"
                """));
        cases.put("invalid-image", WaveBundleBuilder.app("evil", "1.0.0")
                .file("static/icon.svg", "<svg onload=\"alert(1)\"/>").without("static/icon.png"));
        cases.put("compression-ratio", WaveBundleBuilder.app("evil", "1.0.0").file("data/zeros.bin", new byte[64 * 1024 * 1024]));
        for (var entry : cases.entrySet()) {
            Path file = bundle(entry.getValue());
            assertThatThrownBy(() -> catalog.importBundle(file, OLGA, Visibility.PUBLIC))
                    .as(entry.getKey())
                    .isInstanceOfSatisfying(BundleException.class, e -> assertThat(e.error().code()).isEqualTo(entry.getKey()));
        }
        Path notAZip = Files.writeString(tmp.resolve("plain.wave"), "just text", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> catalog.importBundle(notAZip, OLGA, Visibility.PUBLIC))
                .isInstanceOfSatisfying(BundleException.class, e -> assertThat(e.error().code()).isEqualTo("not-a-zip"));

        assertThat(appRows()).isZero();
        assertThat(blobs.list()).isEmpty();
        try (var work = Files.list(tmp.resolve("work"))) {
            assertThat(work).as("extracted files are removed").isEmpty();
        }
    }

    @Test
    void aDatabaseFailureAfterTheBlobsWereWrittenRemovesThem() throws Exception {
        database.jdbi().useHandle(h -> h.execute("""
                CREATE OR REPLACE FUNCTION fail_images() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'disk full (test)'; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER fail_images BEFORE INSERT ON app_images FOR EACH ROW EXECUTE FUNCTION fail_images();
                """));
        assertThatThrownBy(() -> importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC)).hasMessageContaining("disk full");
        assertThat(appRows()).isZero();
        assertThat(blobs.list()).isEmpty();
    }

    @Test
    void aBlobStoreFailureHalfWayRemovesWhatWasWritten() throws Exception {
        CatalogService failing = service(new FailingOnNthPut(blobs, 3));
        assertThatThrownBy(() -> failing.importBundle(bundle(WaveBundleBuilder.app("hello", "1.0.0")), OLGA, Visibility.PUBLIC))
                .hasMessageContaining("injected");
        assertThat(appRows()).isZero();
        assertThat(blobs.list()).isEmpty();
    }

    @Test
    void aFailedImportNeverDeletesABlobThatAnotherAppUses() throws Exception {
        importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC); // same icon and screenshots as the next one
        database.jdbi().useHandle(h -> h.execute("""
                CREATE OR REPLACE FUNCTION fail_images() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'disk full (test)'; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER fail_images BEFORE INSERT ON app_images FOR EACH ROW EXECUTE FUNCTION fail_images();
                """));
        assertThatThrownBy(() -> importApp("hello", "2.0.0", OLGA, Visibility.PUBLIC));
        assertThat(blobs.list()).hasSize(4);
        try (var icon = catalog.icon("hello", "1.0.0", OLGA).content().stream()) {
            assertThat(icon.readAllBytes()).isNotEmpty();
        }
    }

    @Test
    void versionsAreImmutableAndNamesBelongToTheirOwner() throws Exception {
        importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC);
        assertThatThrownBy(() -> importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC))
                .isInstanceOfSatisfying(CatalogException.class, e -> {
                    assertThat(e.error()).isEqualTo(CatalogError.APP_VERSION_EXISTS);
                    assertThat(e.field()).contains("App.Version");
                });
        assertThatThrownBy(() -> importApp("hello", "2.0.0", PAT, Visibility.PUBLIC))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.APP_NAME_TAKEN));
        assertThat(blobs.list()).hasSize(4);
    }

    @Test
    void visitorsAndAnonymousCallersCannotUpload() {
        assertThatThrownBy(() -> importApp("hello", "1.0.0", VIC, Visibility.PUBLIC))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.FORBIDDEN));
        assertThatThrownBy(() -> importApp("hello", "1.0.0", ANON, Visibility.PUBLIC))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.SIGN_IN_REQUIRED));
    }

    @Test
    void listingShowsExactlyWhatTheAccessRulesAllow() throws Exception {
        catalog.createTag("partners", new TagSpec(Optional.of("Partners"), Optional.empty(), Optional.empty(),
                Optional.of(Set.of("partner"))), ADA);
        importApp("private-app", "1.0.0", OLGA, Visibility.PRIVATE);
        importApp("all-users-app", "1.0.0", OLGA, Visibility.ALL_USERS);
        importApp("tagged-app", "1.0.0", OLGA, Visibility.ALL_USERS);
        catalog.update("tagged-app", "1.0.0", new AppUpdate(Optional.empty(), Optional.of(Set.of("partners"))), OLGA);
        importApp("public-app", "1.0.0", OLGA, Visibility.PUBLIC);

        for (Caller caller : List.of(OLGA, PAT, ADA, VIC, ANON)) {
            List<String> listed = catalog.list(AppQuery.all(), caller).items().stream().map(AppVersion::name).toList();
            List<String> allowed = catalog.list(AppQuery.all(), ADA).items().stream()
                    .filter(app -> CatalogAccess.canSee(caller, new CatalogAccess.AppFacts(app.ownerId(), app.visibility(),
                            app.tags().isEmpty() ? List.of() : List.of(Set.of("partner")))))
                    .map(AppVersion::name)
                    .toList();
            assertThat(listed).as("what %s sees", caller.id()).containsExactlyElementsOf(allowed);
        }
        assertThat(names(AppQuery.all(), VIC)).containsExactly("public-app", "tagged-app");
        assertThat(names(AppQuery.all(), ANON)).containsExactly("public-app");
        assertThatThrownBy(() -> catalog.get("private-app", "1.0.0", PAT))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.APP_NOT_FOUND));
    }

    @Test
    void latestOnlyPicksTheHighestVersionAndFiltersCombine() throws Exception {
        for (String v : List.of("1.9.0", "1.10.0-rc1", "1.10.0", "1.2.0")) {
            importApp("hello", v, OLGA, Visibility.PUBLIC);
        }
        importApp("other", "0.1.0", PAT, Visibility.PUBLIC);
        AppQuery latest = new AppQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                true, 50, 0);
        assertThat(catalog.list(latest, ANON).items()).extracting(AppVersion::name, AppVersion::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hello", "1.10.0"), org.assertj.core.groups.Tuple.tuple("other", "0.1.0"));
        assertThat(catalog.list(AppQuery.all(), ANON).items()).extracting(AppVersion::version)
                .containsExactly("1.10.0", "1.10.0-rc1", "1.9.0", "1.2.0", "0.1.0");

        AppQuery byOwner = new AppQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("pat"), Optional.empty(),
                false, 50, 0);
        assertThat(names(byOwner, ANON)).containsExactly("other");
        AppQuery text = new AppQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("oth"),
                false, 50, 0);
        assertThat(names(text, ANON)).containsExactly("other");
        AppQuery page = new AppQuery(Optional.of("hello"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                false, 2, 2);
        var second = catalog.list(page, ANON);
        assertThat(second.total()).isEqualTo(4);
        assertThat(second.items()).extracting(AppVersion::version).containsExactly("1.9.0", "1.2.0");
    }

    @Test
    void ownersChangeVisibilityAndTagsOthersCannot() throws Exception {
        catalog.createTag("ml", new TagSpec(Optional.empty(), Optional.of("#112233"), Optional.empty(), Optional.empty()), ADA);
        importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC);
        AppVersion changed = catalog.update("hello", "1.0.0",
                new AppUpdate(Optional.of(Visibility.PRIVATE), Optional.of(Set.of("ml"))), OLGA);
        assertThat(changed.visibility()).isEqualTo(Visibility.PRIVATE);
        assertThat(changed.tags()).containsExactly("ml");

        importApp("other", "1.0.0", PAT, Visibility.PUBLIC);
        assertThatThrownBy(() -> catalog.update("other", "1.0.0", new AppUpdate(Optional.of(Visibility.PRIVATE), Optional.empty()), OLGA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.FORBIDDEN));
        assertThatThrownBy(() -> catalog.update("hello", "1.0.0", new AppUpdate(Optional.empty(), Optional.of(Set.of("nope"))), OLGA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.field()).contains("tags"));
        assertThat(catalog.update("other", "1.0.0", new AppUpdate(Optional.of(Visibility.ALL_USERS), Optional.empty()), ADA)
                .visibility()).isEqualTo(Visibility.ALL_USERS);
    }

    @Test
    void manifestTagsMustExist() throws Exception {
        WaveBundleBuilder tagged = WaveBundleBuilder.app("hello", "1.0.0").manifest(
                WaveBundleBuilder.appSection("hello", "1.0.0") + """
                Tags = ["ml", "missing"]
                [Runtime]
                Module = "app"
                """);
        catalog.createTag("ml", new TagSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), ADA);
        assertThatThrownBy(() -> catalog.importBundle(bundle(tagged), OLGA, Visibility.PUBLIC))
                .isInstanceOfSatisfying(CatalogException.class, e -> {
                    assertThat(e.field()).contains("App.Tags");
                    assertThat(e.getMessage()).contains("missing").doesNotContain("ml,");
                });
        assertThat(appRows()).isZero();
        assertThat(blobs.list()).isEmpty();
    }

    @Test
    void deletingAVersionRemovesItsBlobsButKeepsSharedOnes() throws Exception {
        importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC);
        importApp("hello", "2.0.0", OLGA, Visibility.PUBLIC); // shares icon and screenshots, own bundle
        assertThat(blobs.list()).hasSize(5);
        assertThatThrownBy(() -> catalog.delete("hello", "1.0.0", PAT)).isInstanceOf(CatalogException.class);

        catalog.delete("hello", "1.0.0", OLGA);
        assertThat(blobs.list()).hasSize(4);
        catalog.delete("hello", "2.0.0", ADA);
        assertThat(blobs.list()).isEmpty();
        assertThat(appRows()).isZero();
    }

    @Test
    void orphanBlobsAreCollectedAfterTheirGrace() throws Exception {
        importApp("hello", "1.0.0", OLGA, Visibility.PUBLIC);
        Path stray = Files.write(tmp.resolve("stray"), "left by a replica that died".getBytes(StandardCharsets.UTF_8));
        BlobPut orphan = blobs.put(stray);

        assertThat(catalog.collectOrphans(Duration.ofHours(1))).isZero();
        assertThat(catalog.collectOrphans(Duration.ofSeconds(-1))).isEqualTo(1);
        assertThat(blobs.exists(orphan.digest())).isFalse();
        assertThat(blobs.list()).hasSize(4);
    }

    @Test
    void tagsAreValidatedAndOnlyAdminsManageThem() {
        assertThatThrownBy(() -> catalog.createTag("ml", emptySpec(), OLGA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.FORBIDDEN));
        assertThatThrownBy(() -> catalog.createTag("Bad Name", emptySpec(), ADA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.field()).contains("name"));
        assertThatThrownBy(() -> catalog.createTag("ml", new TagSpec(Optional.empty(), Optional.of("red"), Optional.empty(),
                Optional.empty()), ADA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.field()).contains("color"));
        catalog.createTag("ml", emptySpec(), ADA);
        assertThatThrownBy(() -> catalog.createTag("ml", emptySpec(), ADA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.TAG_EXISTS));
        assertThat(catalog.updateTag("ml", new TagSpec(Optional.of("Machine learning"), Optional.empty(), Optional.empty(),
                Optional.of(Set.of("partner"))), ADA).visitorRoles()).containsExactly("partner");
        assertThat(catalog.listTags()).extracting(t -> t.title()).containsExactly("Machine learning");
        catalog.deleteTag("ml", ADA);
        assertThatThrownBy(() -> catalog.deleteTag("ml", ADA))
                .isInstanceOfSatisfying(CatalogException.class, e -> assertThat(e.error()).isEqualTo(CatalogError.TAG_NOT_FOUND));
    }

    private List<String> names(AppQuery query, Caller caller) {
        return catalog.list(query, caller).items().stream().map(AppVersion::name).toList();
    }

    private static TagSpec emptySpec() {
        return new TagSpec(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Caller user(String id, Role role) {
        return new Caller(id, id, role, Set.of(), Set.of(), false);
    }

    /** A real blob store whose n-th put fails, as a full disk or a dropped S3 connection would. */
    static final class FailingOnNthPut implements BlobStore {
        private final BlobStore delegate;
        private final int failOn;
        private final AtomicInteger puts = new AtomicInteger();

        FailingOnNthPut(BlobStore delegate, int failOn) {
            this.delegate = delegate;
            this.failOn = failOn;
        }

        @Override
        public BlobPut put(Path file) throws IOException {
            if (puts.incrementAndGet() == failOn) {
                throw new IOException("injected failure on put " + failOn);
            }
            return delegate.put(file);
        }

        @Override
        public Optional<BlobContent> open(String digest) throws IOException {
            return delegate.open(digest);
        }

        @Override
        public boolean exists(String digest) throws IOException {
            return delegate.exists(digest);
        }

        @Override
        public void delete(String digest) throws IOException {
            delegate.delete(digest);
        }

        @Override
        public List<BlobInfo> list() throws IOException {
            return delegate.list();
        }

        @Override
        public String describe() {
            return "failing " + delegate.describe();
        }

        @Override
        public void close() {
        }
    }
}
