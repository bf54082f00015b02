package io.wavestore.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.bundle.InstanceLifecycle;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.catalog.CatalogResult;
import io.wavestore.catalog.model.AppVersion;
import io.wavestore.identity.DevelopmentIdentity;
import io.wavestore.identity.Role;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.ReleaseWatcher;
import io.wavestore.server.Wavestore;
import io.wavestore.server.problem.ProblemMapping;
import io.wavestore.server.problem.ProblemResponses;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AppRoutes}' own decisions, with the catalog and the instance directory as probes: who may upload, what an
 * upload over the limit leaves behind (nothing), which list parameters are refused, and in which order a delete is
 * decided (who may, then whether instances run the version, and only then the catalog's delete).
 */
class AppRoutesTest extends JUnit5RouteTest {

    private static final String APP = "io.wavestore.hello-wave";
    private static final long MAX_UPLOAD_BYTES = 4096;

    @TempDir
    Path uploadDir;

    private final ObjectMapper mapper = Wavestore.jsonMapper();
    private final TestProbe<CatalogActor.Command> catalog = kit.createTestProbe();
    private final TestProbe<ReleaseWatcher.Command> instances = kit.createTestProbe();
    private final ProblemResponses problems = new ProblemResponses(mapper, ProblemMapping::toProblem);

    private TestRoute route() {
        AppRoutes apps = new AppRoutes(kit.system(), catalog.ref(), new DevelopmentIdentity("olga", Role.FULL_USER), mapper,
                Duration.ofSeconds(30), uploadDir, MAX_UPLOAD_BYTES, Optional.of(instances.ref()));
        return testRoute(handleExceptions(problems.exceptionHandler("/api/v1"),
                () -> handleRejections(problems.rejectionHandler(), apps::routes)));
    }

    @Test
    void uploadsNeedASignedInCallerWhoIsNoVisitor() {
        RouteProblems.assertProblem(mapper, route().run(as("anonymous", null, upload(10))), 401, "sign-in-required", null);
        RouteProblems.assertProblem(mapper, route().run(as("vic", "visitor", upload(10))), 403, "forbidden", null);
        assertThat(uploadDir).isEmptyDirectory();
    }

    @Test
    void anUploadOverTheLimitIsRefusedAndLeavesNoFile() {
        RouteProblems.assertProblem(mapper, route().run(upload((int) MAX_UPLOAD_BYTES * 2)), 413, "payload-too-large",
                null);
        assertThat(uploadDir).isEmptyDirectory();
    }

    @Test
    void listParametersOutOfRangeAreRefusedByName() {
        RouteProblems.assertProblem(mapper, route().run(HttpRequest.GET("/apps?limit=0")), 400, "invalid-parameter",
                "limit");
        RouteProblems.assertProblem(mapper, route().run(HttpRequest.GET("/apps?latest=perhaps")), 400,
                "invalid-parameter", "latest");
        RouteProblems.assertProblem(mapper, route().run(HttpRequest.GET("/apps?visibility=everyone")), 400,
                "invalid-parameter", "visibility");
    }

    @Test
    void aFullUserWhoDoesNotOwnTheVersionMayNotDeleteIt() {
        TestRouteResult deleted = route().run(as("pat", null, delete()));

        answer(catalog.expectMessageClass(CatalogActor.GetApp.class).replyTo(), app("olga"));
        RouteProblems.assertProblem(mapper, deleted, 403, "forbidden", null);
    }

    @Test
    void aVersionThatInstancesRunIsNotDeleted() {
        TestRouteResult deleted = route().run(delete());

        answer(catalog.expectMessageClass(CatalogActor.GetApp.class).replyTo(), app("olga"));
        ReleaseWatcher.CountInstancesOf counted = instances.expectMessageClass(ReleaseWatcher.CountInstancesOf.class);
        assertThat(counted.appName()).isEqualTo(APP);
        counted.replyTo().tell(2);
        RouteProblems.assertProblem(mapper, deleted, 409, "app-in-use", null);
    }

    @Test
    void theOwnerDeletesAVersionNoInstanceRuns() {
        TestRouteResult deleted = route().run(delete());

        answer(catalog.expectMessageClass(CatalogActor.GetApp.class).replyTo(), app("olga"));
        instances.expectMessageClass(ReleaseWatcher.CountInstancesOf.class).replyTo().tell(0);
        CatalogActor.DeleteApp delete = catalog.expectMessageClass(CatalogActor.DeleteApp.class);
        assertThat(delete.caller().id()).isEqualTo("olga");
        answer(delete.replyTo(), CatalogActor.Done.DONE);
        deleted.assertStatusCode(204);
    }

    private static <T> void answer(org.apache.pekko.actor.typed.ActorRef<CatalogResult<T>> replyTo, T value) {
        replyTo.tell(new CatalogResult.Ok<>(value));
    }

    private static AppVersion app(String owner) {
        return new AppVersion(UUID.randomUUID(), APP, "0.1.0", "Hello", "Says hello", Optional.empty(), owner,
                Visibility.ALL_USERS, InstanceLifecycle.ON_DEMAND, "{}", "0".repeat(64), 10, Instant.now(), List.of(),
                Optional.empty(), List.of());
    }

    private static HttpRequest upload(int size) {
        return HttpRequest.POST("/apps").withEntity(HttpEntities.create(ContentTypes.APPLICATION_OCTET_STREAM,
                new byte[size]));
    }

    private static HttpRequest delete() {
        return HttpRequest.DELETE("/apps/" + APP + "/0.1.0");
    }

    private static HttpRequest as(String user, String role, HttpRequest request) {
        HttpRequest signed = request.addHeader(RawHeader.create(DevelopmentIdentity.USER_HEADER, user));
        return role == null ? signed : signed.addHeader(RawHeader.create(DevelopmentIdentity.ROLE_HEADER, role));
    }
}
