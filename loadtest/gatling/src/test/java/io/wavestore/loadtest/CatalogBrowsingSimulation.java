package io.wavestore.loadtest;

import static io.gatling.javaapi.core.CoreDsl.*;

import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Catalog browsing alone, as many visits as {@link #CONCURRENT} people clicking can make: the comparison of one
 * replica with several (run it with one base URL, then with three). Usually run with
 * {@code -Dwavestore.think-scale=0} to measure what the replicas can serve rather than how fast people read.
 */
public class CatalogBrowsingSimulation extends Simulation {

    /** People browsing at once (a closed model: each starts a new visit when one ends). */
    static final int CONCURRENT = Integer.parseInt(Settings.text("wavestore.browsers-concurrent", "32"));

    private final StoreAdmin admin = new StoreAdmin();

    {
        setUp(Browsing.people("catalog browsers").injectClosed(
                        rampConcurrentUsers(1).to(CONCURRENT).during(WorkingDaySimulation.share(Settings.DAY, 0.1)),
                        constantConcurrentUsers(CONCURRENT).during(WorkingDaySimulation.share(Settings.DAY, 0.9))))
                .protocols(WorkingDaySimulation.protocol())
                .maxDuration(Settings.DAY.plusMinutes(2))
                .assertions(global().failedRequests().percent().lt(Settings.MAX_ERROR_PERCENT));
    }

    @Override
    public void before() {
        admin.checkReplicas();
        try {
            admin.seedCatalog(new WaveBundles(Settings.EXAMPLE_APP));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
