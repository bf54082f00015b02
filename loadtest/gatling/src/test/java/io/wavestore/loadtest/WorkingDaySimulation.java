package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;
import static io.gatling.javaapi.http.HttpDsl.*;

import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A working day of the store, compressed into {@link Settings#DAY}: people browse the catalog all day (a third as
 * many in the morning and evening as at midday), a few publish new versions of their apps, and a few at a time start
 * an instance of the example app, use it through the router (HTTP and the Wave socket), suspend, resume and
 * terminate it. Virtual users are dealt over the replicas in {@link Settings#BASE_URLS}; with
 * {@link Settings#KILL_REPLICA} another replica of the cluster is killed -9 during the day ({@link ReplicaKill}). The run
 * fails when more
 * than {@link Settings#MAX_ERROR_PERCENT} percent of requests fail, or when any instance does not come up.
 */
public class WorkingDaySimulation extends Simulation {

    private final WaveBundles bundles = new WaveBundles(Settings.EXAMPLE_APP);
    private final StoreAdmin admin = new StoreAdmin();

    static HttpProtocolBuilder protocol() {
        return http.acceptHeader("application/json, text/html;q=0.9, */*;q=0.8")
                .userAgentHeader("wavestore-loadtest (Gatling)")
                .header("X-Dev-User", "#{user}")
                .header("X-Dev-Role", "#{role}")
                .disableFollowRedirect();
    }

    {
        Duration day = Settings.DAY;
        double peak = Settings.BROWSERS_PER_SECOND;
        setUp(
                Browsing.people("catalog browsers").injectOpen(
                        rampUsersPerSec(peak / 3).to(peak).during(share(day, 0.2)),
                        constantUsersPerSec(peak).during(share(day, 0.5)).randomized(),
                        rampUsersPerSec(peak).to(peak / 3).during(share(day, 0.3))),
                Publishing.people("publishers", bundles).injectOpen(
                        rampUsers(Settings.PUBLISHERS).during(share(day, 0.5))),
                InstanceUse.people("instance users").injectClosed(
                        rampConcurrentUsers(1).to(Settings.INSTANCE_USERS).during(share(day, 0.2)),
                        constantConcurrentUsers(Settings.INSTANCE_USERS).during(share(day, 0.8))))
                .protocols(protocol())
                // Bounded whatever happens: the day, plus time for the last instance users to finish.
                .maxDuration(day.plus(Settings.PHASE_TIMEOUT).plusMinutes(3))
                .assertions(
                        global().failedRequests().percent().lt(Settings.MAX_ERROR_PERCENT),
                        details("instance is RUNNING").failedRequests().count().is(0L));
    }

    static Duration share(Duration day, double fraction) {
        return Duration.ofMillis(Math.round(day.toMillis() * fraction));
    }

    @Override
    public void before() {
        admin.checkReplicas();
        try {
            admin.seedCatalog(bundles);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ReplicaKill.schedule(Settings.EXAMPLE_APP.getParent().getParent());
        System.out.println("[wavestore] replicas " + Settings.BASE_URLS + ", day " + Settings.DAY + ", catalog of "
                + Settings.CATALOG_APPS + " apps ready");
    }

    @Override
    public void after() {
        try {
            for (String uploaded : Publishing.UPLOADED) {
                admin.delete(uploaded);
            }
            int leftovers = admin.terminateInstances("worker-");
            System.out.println("[wavestore] deleted " + Publishing.UPLOADED.size() + " uploaded versions; terminated "
                    + leftovers + " instances the day left behind");
            // Beside Gatling's reports: loadtest/gatling/target/gatling/ (Maven may run Gatling from the repository root).
            Path times = Settings.EXAMPLE_APP.getParent().getParent()
                    .resolve("loadtest/gatling/target/gatling/phase-times-" + System.currentTimeMillis() + ".md");
            PhaseTimes.write(times);
            System.out.println("[wavestore] instance waits (also in " + times + "):\n" + PhaseTimes.summary());
            ReplicaKill.killedAt().ifPresent(at -> System.out.println("[wavestore] replica " + Settings.KILL_REPLICA
                    + " was killed -9 at " + at + "; every request of the day went through the other replicas"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
