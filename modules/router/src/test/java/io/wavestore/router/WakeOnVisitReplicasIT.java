package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.DevelopmentIdentity;
import io.wavestore.identity.Role;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.PlainBackend;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.router.fixture.TestApps;
import io.wavestore.router.fixture.TestRuntime;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.scheduler.InstanceActor;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas (two actor systems in one cluster, each with its own data plane on its own port) receive the first
 * requests for a suspended instance at once: the instance's actor resumes it once, and every request is answered by
 * the app (issue 19).
 */
@ExtendWith(PostgresExtension.class)
class WakeOnVisitReplicasIT {


    @Test
    void twentyRequestsThroughTwoReplicasResumeItOnceAndAllSucceed(TestDatabase database) throws Exception {
        int seedPort = FreePorts.onLoopback();
        TestRuntime runtime = new TestRuntime();
        TestApps apps = new TestApps();
        AppLookup.AppRuntime app = apps.add("sleepy", "1.0.0", "alice", RoutingMode.BASE_URL);
        int[] ports = {FreePorts.onLoopback(), FreePorts.onLoopback()};
        Config first = ReplicaRestartIT.config(seedPort, seedPort, ports[0], database);
        Config second = ReplicaRestartIT.config(0, seedPort, ports[1], database);
        ActorTestKit a = ActorTestKit.create("wavestore", first);
        ActorTestKit b = ActorTestKit.create("wavestore", second);
        List<DataPlane> planes = new ArrayList<>();
        try (PlainBackend backend = new PlainBackend("woken")) {
            ReplicaRestartIT.scheduler(a.system(), runtime, apps, first);
            ReplicaRestartIT.scheduler(b.system(), runtime, apps, second);
            ReplicaRestartIT.awaitUp(a.system(), 2);
            planes.add(replica(a.system(), first, apps, ports[0]));
            planes.add(replica(b.system(), second, apps, ports[1]));

            String id = RouterFixture.newId();
            assertThat(ask(a.system(), id, r -> new InstanceActor.Start(app, "developer", true, Visibility.PUBLIC, r)))
                    .isInstanceOf(InstanceActor.Done.class);
            runtime.running(id, backend.address());
            HttpClient http = HttpClient.newHttpClient();
            // Both replicas have served it (their route caches know it; a request that finds it starting is held), then
            // it is suspended.
            for (int port : ports) {
                assertThat(http.send(request(port, id), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
            assertThat(ask(b.system(), id, InstanceActor.Suspend::new)).isInstanceOf(InstanceActor.Done.class);
            int before = runtime.resumes.get();

            List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                asked.add(http.sendAsync(request(ports[i % 2], id), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> answer : asked) {
                HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.body()).startsWith("hello from woken");
            }
            assertThat(runtime.resumes.get() - before).as("resumes of the instance").isEqualTo(1);
            assertThat(ask(a.system(), id, InstanceActor.Terminate::new)).isInstanceOf(InstanceActor.Done.class);
        } finally {
            planes.forEach(DataPlane::close);
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
    }

    /** One replica's router as the store runs it: the data plane on {@code port}, the pekko routes behind it. */
    private static DataPlane replica(ActorSystem<?> system, Config config, TestApps apps, int port)
            throws Exception {
        Router router = Router.start(system, RouterSettings.from(config), new DevelopmentIdentity("developer", Role.ADMIN),
                io.wavestore.identity.AppPasses.none(), apps, ReplicaRestartIT.CHANGES.get(system), List::of);
        ServerBinding binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(router.routes(Directives.reject()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        return router.serve("127.0.0.1", port, binding.localAddress(), Duration.ofSeconds(60));
    }

    private static InstanceActor.Reply ask(ActorSystem<?> system, String id,
            org.apache.pekko.japi.function.Function<org.apache.pekko.actor.typed.ActorRef<InstanceActor.Reply>,
                    InstanceActor.Command> command) throws Exception {
        return ClusterSharding.get(system).entityRefFor(InstanceActor.TYPE_KEY, id)
                .<InstanceActor.Reply>ask(command, Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static HttpRequest request(int port, String id) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/instance/" + id + "/page"))
                .header("Accept", "application/json").header("Wavestore-Wake", "1").timeout(Duration.ofSeconds(60)).build();
    }
}
