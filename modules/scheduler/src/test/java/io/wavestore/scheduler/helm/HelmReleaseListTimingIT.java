package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.testkit.kubernetes.HelmReleaseCopies;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Measures (does not judge) how long the store takes to rebuild its view of N instances from their Helm releases:
 * {@link HelmRuntime#list()} and the first list of {@link HelmRuntime#watch}. One release is installed with real
 * Helm; its Secret is the template of N-1 more, written directly in Helm's format (release JSON, gzip, base64) with
 * the name and values of each instance changed, plus {@value #SUPERSEDED} superseded revisions per release, as
 * suspend and resume leave behind. Results go to stdout and to loadtest/rebuild-from-releases.md by hand.
 *
 * <p>N is {@code -Dwavestore.listTiming.releases} (200 by default, to keep the suite quick; the document reports
 * 1,000): {@code mvn -pl modules/scheduler verify -Dit.test=HelmReleaseListTimingIT -Dwavestore.listTiming.releases=1000}.
 */
@ExtendWith(KubernetesExtension.class)
class HelmReleaseListTimingIT {

    static final int SUPERSEDED = 2;

    @Test
    void timesTheRebuildOfManyInstancesFromTheirReleases(TestNamespace namespace) throws Exception {
        int releases = Integer.getInteger("wavestore.listTiming.releases", 200);
        KubernetesClient client = namespace.client();
        try (HelmRuntime runtime = new HelmRuntime(client, Optional.of(namespace.kubeconfig()), namespace.name(),
                ChartSettings.defaults())) {
            long installStart = System.nanoTime();
            runtime.install(TestSpecs.spec("i-00000"));
            long installMillis = (System.nanoTime() - installStart) / 1_000_000;
            HelmReleaseCopies copies = HelmReleaseCopies.of(client, "i-00000", 1);
            long createStart = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 1; i < releases; i++) {
                ids.add(String.format("i-%05d", i));
            }
            copies.create(client, ids, SUPERSEDED);
            long createMillis = (System.nanoTime() - createStart) / 1_000_000;

            List<Long> listMillis = new ArrayList<>();
            for (int run = 0; run < 6; run++) {
                long start = System.nanoTime();
                List<InstanceRecord> records = runtime.list();
                listMillis.add((System.nanoTime() - start) / 1_000_000);
                assertThat(records).hasSize(releases);
            }

            long rawStart = System.nanoTime();
            int listed = client.secrets().withLabel("owner", "helm").withLabelNotIn("status", "superseded").list().getItems().size();
            long rawListMillis = (System.nanoTime() - rawStart) / 1_000_000;
            long allStart = System.nanoTime();
            int all = client.secrets().withLabel("owner", "helm").list().getItems().size();
            long allListMillis = (System.nanoTime() - allStart) / 1_000_000;

            AtomicInteger reported = new AtomicInteger();
            long watchStart = System.nanoTime();
            long watchMillis;
            try (Closeable watch = runtime.watch(new InstanceEvents() {
                @Override
                public void recordChanged(InstanceRecord record) {
                    reported.incrementAndGet();
                }

                @Override
                public void recordRemoved(String instanceId) {
                }

                @Override
                public void healthChanged(String instanceId, InstanceHealth health) {
                }
            })) {
                Await.until("every record through the watch", reported::get, n -> n >= releases);
                watchMillis = (System.nanoTime() - watchStart) / 1_000_000;
            }

            System.out.printf("""
                    ===== rebuild-from-releases: %d releases (%d Secrets with %d superseded revisions each) =====
                    one real helm install: %d ms; one release Secret: %d bytes of data (%d bytes of release JSON)
                    creating the other Secrets (8 threads): %d ms
                    HelmRuntime.list(), 6 runs (first is cold): %s ms
                      of which the API list of the %d non-superseded Secrets: %d ms (all %d Secrets: %d ms)
                    watch(): first list until every record was reported: %d ms
                    """, releases, all, SUPERSEDED, installMillis, copies.secretDataLength(),
                    copies.releaseJsonLength(), createMillis, listMillis, listed, rawListMillis, all,
                    allListMillis, watchMillis);
        }
    }
}
