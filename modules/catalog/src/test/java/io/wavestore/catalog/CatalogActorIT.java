package io.wavestore.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.wavestore.bundle.BundleException;
import io.wavestore.bundle.BundleLimits;
import io.wavestore.bundle.BundleReader;
import io.wavestore.bundle.ManifestPolicy;
import io.wavestore.catalog.blob.FilesystemBlobStore;
import io.wavestore.database.Database;
import io.wavestore.catalog.model.AppQuery;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.catalog.model.Page;
import io.wavestore.identity.Caller;
import io.wavestore.identity.Role;
import io.wavestore.identity.Visibility;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import io.wavestore.testkit.WaveBundleBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The catalog actor replies with results and failures, and does its blocking work on its own dispatcher. */
@ExtendWith(PostgresExtension.class)
class CatalogActorIT {

    static final Caller OLGA = new Caller("olga", "olga", Role.FULL_USER, Set.of(), Set.of(), false);

    @TempDir
    Path tmp;

    private final TestDatabase db;
    private ActorTestKit testKit;
    private Database database;
    private ActorRef<CatalogActor.Command> catalog;

    CatalogActorIT(TestDatabase db) {
        this.db = db;
    }

    @BeforeEach
    void start() {
        testKit = ActorTestKit.create();
        database = Database.start(ConfigFactory.parseMap(Map.of("url", db.url(), "user", db.user(), "password", db.password(),
                        "connection-timeout", "10s")) // a busy machine may take longer than the default 1.5 s
                .withFallback(ConfigFactory.defaultReference().getConfig(Database.CONFIG_PATH)), tmp);
        database.jdbi().useHandle(h -> h.execute("TRUNCATE apps, tags CASCADE"));
        CatalogService service = new CatalogService(database.jdbi(), new FilesystemBlobStore(tmp.resolve("blobs")),
                new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults()), tmp.resolve("work"), Clock.systemUTC());
        catalog = testKit.spawn(CatalogActor.create(service, Duration.ofHours(1), Duration.ofMinutes(10)), "catalog");
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
        database.close();
    }

    @Test
    void importsAndListsThroughTheActor() throws Exception {
        Path wave = WaveBundleBuilder.app("hello", "1.0.0").writeTo(tmp.resolve("hello.wave"));
        TestProbe<CatalogResult<AppVersion>> imported = testKit.createTestProbe();
        catalog.tell(new CatalogActor.ImportBundle(wave, OLGA, Visibility.PUBLIC, imported.getRef()));
        CatalogResult<AppVersion> result = imported.expectMessageClass(CatalogResult.Ok.class, Duration.ofSeconds(20));
        assertThat(((CatalogResult.Ok<AppVersion>) result).value().name()).isEqualTo("hello");

        TestProbe<CatalogResult<Page<AppVersion>>> listed = testKit.createTestProbe();
        catalog.tell(new CatalogActor.ListApps(AppQuery.all(), Caller.anonymous(), listed.getRef()));
        CatalogResult<Page<AppVersion>> page = listed.expectMessageClass(CatalogResult.Ok.class, Duration.ofSeconds(10));
        assertThat(((CatalogResult.Ok<Page<AppVersion>>) page).value().total()).isEqualTo(1);
    }

    @Test
    void failuresComeBackAsFailedReplies() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.wave"), "not a zip");
        TestProbe<CatalogResult<AppVersion>> probe = testKit.createTestProbe();
        catalog.tell(new CatalogActor.ImportBundle(broken, OLGA, Visibility.PUBLIC, probe.getRef()));
        CatalogResult.Failed<?> failed = probe.expectMessageClass(CatalogResult.Failed.class, Duration.ofSeconds(10));
        assertThat(failed.error()).isInstanceOf(BundleException.class);

        catalog.tell(new CatalogActor.GetApp("nope", "1.0.0", OLGA, probe.getRef()));
        failed = probe.expectMessageClass(CatalogResult.Failed.class, Duration.ofSeconds(10));
        assertThat(((CatalogException) failed.error()).error()).isEqualTo(CatalogError.APP_NOT_FOUND);
    }

    @Test
    void blockingWorkRunsOnTheDedicatedDispatcher() {
        // The default reference.conf defines it; looking it up fails if it is missing.
        var executor = testKit.system().dispatchers().lookup(
                org.apache.pekko.actor.typed.DispatcherSelector.fromConfig(CatalogActor.BLOCKING_DISPATCHER));
        String[] thread = new String[1];
        java.util.concurrent.CompletableFuture.runAsync(() -> thread[0] = Thread.currentThread().getName(), executor).join();
        assertThat(thread[0]).contains("wavestore.catalog.blocking-dispatcher");
    }
}
