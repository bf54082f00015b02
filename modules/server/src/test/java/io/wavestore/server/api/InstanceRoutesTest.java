package io.wavestore.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wavestore.catalog.CatalogActor;
import io.wavestore.identity.DevelopmentIdentity;
import io.wavestore.identity.Role;
import io.wavestore.router.RouterSettings;
import io.wavestore.scheduler.ReleaseWatcher;
import io.wavestore.server.Wavestore;
import io.wavestore.server.problem.ProblemMapping;
import io.wavestore.server.problem.ProblemResponses;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;

/**
 * {@link InstanceRoutes}' own decisions, without a store around them: who must be signed in, which input is refused
 * before anything is asked, and whose instances a listing asks for. The instance actors' answers (who may do what with
 * one instance) are the end-to-end ITs' part.
 */
class InstanceRoutesTest extends JUnit5RouteTest {

    private final ObjectMapper mapper = Wavestore.jsonMapper();
    private final TestProbe<CatalogActor.Command> catalog = kit.createTestProbe();
    private final TestProbe<ReleaseWatcher.Command> watcher = kit.createTestProbe();
    private final ProblemResponses problems = new ProblemResponses(mapper, ProblemMapping::toProblem);
    private final InstanceRoutes instances = new InstanceRoutes(kit.system(), catalog.ref(),
            new DevelopmentIdentity("olga", Role.FULL_USER), mapper, Duration.ofSeconds(30), watcher.ref(),
            null, // the runtime: only the logs route reads it, and no test here asks for logs
            RouterSettings.from(kit.system().settings().config()));
    private final TestRoute route = testRoute(handleExceptions(problems.exceptionHandler("/api/v1"),
            () -> handleRejections(problems.rejectionHandler(), instances::routes)));

    @Test
    void anIdNoInstanceCanHaveIsNotFound() {
        assertProblem(route.run(HttpRequest.GET("/instances/Not_An_Id")), 404, "instance-not-found", null);
    }

    @Test
    void listingAndStartingNeedASignedInCaller() {
        assertProblem(route.run(anonymous(HttpRequest.GET("/instances"))), 401, "sign-in-required", null);
        assertProblem(route.run(anonymous(start("{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\"}"))),
                401, "sign-in-required", null);
    }

    @Test
    void aStartWithoutAppOrVersionOrWithAnUnknownVisibilityIsRefusedField() {
        assertProblem(route.run(start("{\"version\":\"0.1.0\"}")), 400, "invalid-parameter", "app");
        assertProblem(route.run(start("{\"app\":\"io.wavestore.hello-wave\"}")), 400, "invalid-parameter", "version");
        assertProblem(route.run(start("{\"app\":\"io.wavestore.hello-wave\",\"version\":\"0.1.0\",\"visibility\":\"EVERYONE\"}")),
                400, "invalid-parameter", "visibility");
    }

    @Test
    void aChangeThatChangesNothingIsRefused() {
        assertProblem(route.run(HttpRequest.PATCH("/instances/i-abc").withEntity(HttpEntities.create(
                ContentTypes.APPLICATION_JSON, "{}"))), 400, "invalid-parameter", "version");
    }

    @Test
    void openableInstancesAreThoseOfOneApp() {
        assertProblem(route.run(HttpRequest.GET("/instances?openable=true")), 400, "invalid-parameter", "app");
    }

    @Test
    void aUserListsTheirOwnInstancesWhateverOwnerTheyAskFor() {
        TestRouteResult listed = route.run(HttpRequest.GET("/instances?owner=pat&app=io.wavestore.hello-wave"));

        ReleaseWatcher.ListInstances asked = answerEmpty();
        assertThat(asked.ownerId()).contains("olga");
        assertThat(asked.appName()).contains("io.wavestore.hello-wave");
        listed.assertStatusCode(200).assertEntity("[]");
    }

    @Test
    void anAdminListsTheOwnerTheyAskForOrEveryone() {
        TestRouteResult ofPat = route.run(admin(HttpRequest.GET("/instances?owner=pat")));
        assertThat(answerEmpty().ownerId()).contains("pat");
        ofPat.assertStatusCode(200);

        TestRouteResult all = route.run(admin(HttpRequest.GET("/instances")));
        assertThat(answerEmpty().ownerId()).isEqualTo(Optional.empty());
        all.assertStatusCode(200);
    }

    private ReleaseWatcher.ListInstances answerEmpty() {
        ReleaseWatcher.ListInstances asked = watcher.expectMessageClass(ReleaseWatcher.ListInstances.class);
        asked.replyTo().tell(new ReleaseWatcher.Listing(List.of()));
        return asked;
    }

    private static HttpRequest start(String json) {
        return HttpRequest.POST("/instances").withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json));
    }

    private static HttpRequest anonymous(HttpRequest request) {
        return request.addHeader(RawHeader.create(DevelopmentIdentity.USER_HEADER, "anonymous"));
    }

    private static HttpRequest admin(HttpRequest request) {
        return request.addHeader(RawHeader.create(DevelopmentIdentity.USER_HEADER, "ada"))
                .addHeader(RawHeader.create(DevelopmentIdentity.ROLE_HEADER, "admin"));
    }

    private void assertProblem(TestRouteResult result, int status, String code, String field) {
        RouteProblems.assertProblem(mapper, result, status, code, field);
    }
}
