package io.wavestore.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.wavestore.scheduler.InstanceChanges;
import io.wavestore.scheduler.InstanceCredentials;
import io.wavestore.scheduler.InstanceSpecFactory;
import io.wavestore.scheduler.ReleaseWatcher;
import io.wavestore.scheduler.SchedulerSettings;
import io.wavestore.testkit.FreePorts;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas in one JVM. Instances whose actors live on the second replica move when it restarts (leaves); the
 * first replica's router, which had their routes cached, serves them on while membership changes (stale-while-error,
 * {@link RouteCache#refreshAll}), but must not send a single request to the old address once their actors are back
 * (on the first replica): the fresh actor announces itself and the cached route is dropped. The instances' address
 * changed meanwhile without any event, so a route kept past that would show at once.
 */
@ExtendWith(PostgresExtension.class)
class ReplicaRestartIT {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void noStaleRouteAfterAReplicaRestarts(TestDatabase database) throws Exception {
        int seedPort = FreePorts.onLoopback();
        int httpPort = FreePorts.onLoopback();
        TestRuntime runtime = new TestRuntime();
        TestApps apps = new TestApps();
        AppLookup.AppRuntime app = apps.add("moving", "1.0.0", "alice", RoutingMode.BASE_URL);
        Config first = config(seedPort, seedPort, httpPort, database);
        Config second = config(0, seedPort, httpPort, database);
        ActorTestKit a = ActorTestKit.create("wavestore", first);
        ActorTestKit b = ActorTestKit.create("wavestore", second);
        try (PlainBackend before = new PlainBackend("before"); PlainBackend after = new PlainBackend("after")) {
            scheduler(a.system(), runtime, apps, first);
            scheduler(b.system(), runtime, apps, second);
            awaitUp(a.system(), 2);
            awaitRegions(a.system(), 2);
            Router router = Router.start(a.system(), RouterSettings.from(first), new DevelopmentIdentity("developer", Role.ADMIN),
                    io.wavestore.identity.AppPasses.none(), apps, CHANGES.get(a.system()), List::of);
            ServerBinding binding = Http.get(a.system()).newServerAt("127.0.0.1", httpPort)
                    .bind(router.routes(org.apache.pekko.http.javadsl.server.Directives.reject())).toCompletableFuture().get(10, TimeUnit.SECONDS);

            // Instances until a few of their actors live on the second replica.
            List<String> onSecond = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (int i = 0; i < 40 && onSecond.size() < 3; i++) {
                String id = RouterFixture.newId();
                InstanceActor.Reply reply = ClusterSharding.get(a.system()).entityRefFor(InstanceActor.TYPE_KEY, id)
                        .<InstanceActor.Reply>ask(r -> new InstanceActor.Start(app, "olga", true, Visibility.PUBLIC, r),
                                Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);
                assertThat(reply).isInstanceOf(InstanceActor.Done.class);
                runtime.running(id, before.address());
                all.add(id);
                if (hosted(b.system()).contains(id)) {
                    onSecond.add(id);
                }
            }
            assertThat(onSecond).as("some instance actors live on the second replica").isNotEmpty();
            HttpClient http = HttpClient.newHttpClient();
            for (String id : onSecond) {
                awaitBackend(http, httpPort, id, "before");
                // The pod moved; no event says so (the watcher that would tell is on a replica about to restart).
                runtime.silentlyMove(id, after.address());
            }
            assertThat(backend(http, httpPort, onSecond.get(0))).as("still cached").isEqualTo("before");

            b.shutdownTestKit(); // leaves the cluster: its shards move to the first replica
            awaitUp(a.system(), 1);
            for (String id : onSecond) {
                // The actor comes back on the first message (a request's background refresh would be one); its
                // announcement reaches the router's cache through the topic, a moment after the answer.
                assertThat(ClusterSharding.get(a.system()).entityRefFor(InstanceActor.TYPE_KEY, id)
                        .<InstanceActor.Reply>ask(InstanceActor.Get::new, Duration.ofSeconds(20))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS)).isInstanceOf(InstanceActor.Done.class);
                awaitBackend(http, httpPort, id, "after");
            }
            for (String id : onSecond) {
                for (int i = 0; i < 5; i++) {
                    assertThat(backend(http, httpPort, id)).as("instance " + id + " after the restart").isEqualTo("after");
                }
            }
            binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
    }

    static final Map<ActorSystem<?>, org.apache.pekko.actor.typed.ActorRef<org.apache.pekko.actor.typed.pubsub.Topic.Command<
            InstanceChanges.InstanceChanged>>> CHANGES = new java.util.concurrent.ConcurrentHashMap<>();

    static void scheduler(ActorSystem<?> system, TestRuntime runtime, TestApps apps, Config config) {
        var changes = InstanceChanges.init(system);
        CHANGES.put(system, changes);
        SchedulerSettings settings = SchedulerSettings.from(config.getConfig("wavestore.scheduler"));
        InstanceSpecFactory specs = new InstanceSpecFactory(settings, new InstanceCredentials(
                "a-secret-for-the-replica-restart-test-only".getBytes(StandardCharsets.UTF_8), Duration.ofHours(1),
                Clock.systemUTC()));
        var watcher = ReleaseWatcher.init(system, runtime, settings, Clock.systemUTC());
        InstanceActor.init(system, runtime, apps, specs, Clock.systemUTC(), changes, watcher);
    }

    /** The instance ids whose actors run on this replica now. */
    /**
     * Waits until this many shard regions are registered with the coordinator. A member that is up may not have
     * registered its region yet, and until it has every new shard goes to the other: on a quiet machine all forty
     * instances were placed on the first replica.
     */
    private static void awaitRegions(ActorSystem<?> system, int regions) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            TestProbe<org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats> probe = TestProbe.create(system);
            ClusterSharding.get(system).shardState().tell(new org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats(
                    InstanceActor.TYPE_KEY, Duration.ofSeconds(3), probe.getRef()));
            int registered = probe.receiveMessage(Duration.ofSeconds(10)).getRegions().size();
            if (registered >= regions) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(registered + " shard regions registered, expected " + regions + " within 30 s");
            }
            Thread.sleep(100);
        }
    }

    private static Set<String> hosted(ActorSystem<?> system) {
        TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(system);
        ClusterSharding.get(system).shardState().tell(new GetShardRegionState(InstanceActor.TYPE_KEY, probe.getRef()));
        Set<String> ids = new java.util.HashSet<>();
        probe.receiveMessage(Duration.ofSeconds(10)).getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
        return ids;
    }

    private static String backend(HttpClient http, int port, String id) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/instance/" + id + "/echo")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("backend").asText();
    }

    private static void awaitBackend(HttpClient http, int port, String id, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (backend(http, port, id).equals(expected)) {
                    return;
                }
            } catch (AssertionError notYet) {
                // starting
            }
            assertThat(System.nanoTime()).as("instance " + id + " never reached " + expected).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Waits until the cluster has exactly {@code members} members, all up. */
    static void awaitUp(ActorSystem<?> system, int members) throws InterruptedException {
        Cluster cluster = Cluster.get(system);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long total = 0;
            long up = 0;
            for (var member : cluster.state().getMembers()) {
                total++;
                up += member.status() == MemberStatus.up() ? 1 : 0;
            }
            if (total == members && up == members) {
                return;
            }
            assertThat(System.nanoTime()).as("the cluster never had " + members + " members up").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static Config config(int port, int seedPort, int httpPort, TestDatabase database) {
        Map<String, Object> settings = RouterFixture.baseSettings(httpPort, database);
        settings.put("pekko.remote.artery.canonical.port", port);
        settings.put("pekko.cluster.seed-nodes", List.of("pekko://wavestore@127.0.0.1:" + seedPort));
        settings.put("pekko.cluster.min-nr-of-members", 1);
        return RouterFixture.routerConfig(settings);
    }
}
