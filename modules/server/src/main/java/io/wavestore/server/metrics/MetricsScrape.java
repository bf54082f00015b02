package io.wavestore.server.metrics;

import java.util.concurrent.CompletionStage;

/** One scrape of this replica: the cluster's state asked for first, then the whole registry as text. */
public final class MetricsScrape {

    private final StoreMetrics metrics;
    private final ClusterGauges gauges;

    public MetricsScrape(StoreMetrics metrics, ClusterGauges gauges) {
        this.metrics = metrics;
        this.gauges = gauges;
    }

    public CompletionStage<String> text() {
        return gauges.refresh().thenApply(done -> metrics.scrape());
    }
}
