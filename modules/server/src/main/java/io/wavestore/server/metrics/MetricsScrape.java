package io.wavestore.server.metrics;

import java.util.concurrent.CompletionStage;

/** One scrape of this replica: the cluster's state asked for first, then the whole registry as text. */
public record MetricsScrape(StoreMetrics metrics, ClusterGauges gauges) {

    public CompletionStage<String> text() {
        return gauges.refresh().thenApply(done -> metrics.scrape());
    }
}
