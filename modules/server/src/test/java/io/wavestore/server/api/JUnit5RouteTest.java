package io.wavestore.server.api;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.testkit.RouteTest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;

/**
 * pekko-http's route testkit under JUnit 5 (its own base class, JUnitRouteTest, needs JUnit 4): one actor system per
 * test class, from {@link ActorTestKit} so that tests can spawn the actors a route asks and probe what it sends them.
 */
abstract class JUnit5RouteTest extends RouteTest {

    static ActorTestKit kit;

    @BeforeAll
    static void startActorSystem() {
        kit = ActorTestKit.create(ConfigFactory.parseMap(Map.of(
                        // A busy machine (load 45 on two cores) answers later than the default 3 s.
                        "pekko.actor.testkit.typed.single-expect-default", "30s"))
                .withFallback(ConfigFactory.load()));
    }

    @AfterAll
    static void stopActorSystem() {
        kit.shutdownTestKit();
    }

    @Override
    public org.apache.pekko.actor.ActorSystem system() {
        return Adapter.toClassic(kit.system());
    }

    @Override
    public Materializer materializer() {
        return Materializer.matFromSystem(kit.system());
    }

    @Override
    public FiniteDuration awaitDuration() {
        return FiniteDuration.create(30, TimeUnit.SECONDS);
    }

    @Override
    public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
        return new TestRouteResult(result, awaitDuration(), system().dispatcher(), materializer()) {
            @Override
            public void fail(String message) {
                Assertions.fail(message);
            }

            @Override
            public void assertEquals(Object expected, Object actual, String message) {
                Assertions.assertEquals(expected, actual, message);
            }

            @Override
            public void assertEquals(int expected, int actual, String message) {
                Assertions.assertEquals(expected, actual, message);
            }

            @Override
            public void assertTrue(boolean predicate, String message) {
                Assertions.assertTrue(predicate, message);
            }
        };
    }
}
