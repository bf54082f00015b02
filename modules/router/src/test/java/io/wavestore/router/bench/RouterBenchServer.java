package io.wavestore.router.bench;

import io.wavestore.bundle.RoutingMode;
import io.wavestore.identity.Visibility;
import io.wavestore.router.fixture.RouterFixture;
import io.wavestore.scheduler.AppLookup;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The router as the benchmark in loadtest/router measures it: the same wiring as the tests (a cluster of one with
 * sharded instance actors, PostgreSQL for aliases, the development identity), one PUBLIC instance whose Wave server is
 * the benchmark's backend. Prints {@code ROUTER <url of the instance>} and serves until it is stopped.
 *
 * <p>Arguments: the backend's {@code host:port}, and optionally the port to listen on.
 */
public final class RouterBenchServer {

    private RouterBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String backend = args.length > 0 ? args[0] : "127.0.0.1:18080";
        Map<String, Object> overrides = args.length > 1 ? Map.of("wavestore.bench.port", Integer.parseInt(args[1])) : Map.of();
        Path dir = Files.createTempDirectory("router-bench");
        RouterFixture store = RouterFixture.start(TestDatabase.create(), dir, overrides);
        AppLookup.AppRuntime app = store.apps.add("bench", "1.0.0", "bench", RoutingMode.BASE_URL);
        String id = store.running(app, "bench", Visibility.PUBLIC, backend);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                store.close();
            } catch (Exception e) {
                System.err.println("closing: " + e);
            }
            stopped.countDown();
        }));
        // The store's own routes, through the data plane and directly, to see what the data plane costs them.
        System.out.println("STORE " + store.base() + "/api/ " + store.storeRoutesBehind() + "/api/");
        System.out.println("ROUTER " + store.apps() + "/instance/" + id + "/ PID " + ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }
}
