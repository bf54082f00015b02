package io.wavestore.scheduler.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.wavestore.scheduler.runtime.InstanceEvents;
import io.wavestore.scheduler.runtime.InstanceHealth;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.testkit.kubernetes.KubernetesExtension;
import io.wavestore.testkit.kubernetes.TestNamespace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
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
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timesTheRebuildOfManyInstancesFromTheirReleases(TestNamespace namespace) throws Exception {
        int releases = Integer.getInteger("wavestore.listTiming.releases", 200);
        KubernetesClient client = namespace.client();
        try (HelmRuntime runtime = new HelmRuntime(client, Optional.of(namespace.kubeconfig()), namespace.name(),
                ChartSettings.defaults())) {
            long installStart = System.nanoTime();
            runtime.install(TestSpecs.spec("i-00000"));
            long installMillis = (System.nanoTime() - installStart) / 1_000_000;
            Secret template = client.secrets().withName("sh.helm.release.v1.i-00000.v1").get();
            String storedRelease = template.getData().get("release");
            @SuppressWarnings("unchecked")
            Map<String, Object> release = JSON.readValue(gunzip(Base64.getDecoder().decode(Base64.getDecoder().decode(storedRelease))), Map.class);

            long createStart = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> created = new ArrayList<>();
            for (int i = 1; i < releases; i++) {
                String id = String.format("i-%05d", i);
                created.add(pool.submit(() -> {
                    for (int version = 1; version <= SUPERSEDED + 1; version++) {
                        client.secrets().resource(releaseSecret(template, release, id, version,
                                version == SUPERSEDED + 1 ? "deployed" : "superseded")).create();
                    }
                    return null;
                }));
            }
            for (Future<?> f : created) {
                f.get();
            }
            pool.shutdown();
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
                    """, releases, all, SUPERSEDED, installMillis, storedRelease.length(),
                    JSON.writeValueAsBytes(release).length, createMillis, listMillis, listed, rawListMillis, all,
                    allListMillis, watchMillis);
        }
    }

    /** The template release as revision {@code version} of instance {@code id}, encoded as Helm encodes it. */
    @SuppressWarnings("unchecked")
    private static Secret releaseSecret(Secret template, Map<String, Object> release, String id, int version,
                                        String status) throws IOException {
        Map<String, Object> copy = new LinkedHashMap<>(release);
        copy.put("name", id);
        copy.put("version", version);
        Map<String, Object> info = new HashMap<>((Map<String, Object>) release.get("info"));
        info.put("status", status);
        copy.put("info", info);
        Map<String, Object> config = new LinkedHashMap<>((Map<String, Object>) release.get("config"));
        Map<String, Object> instance = new LinkedHashMap<>((Map<String, Object>) config.get("instance"));
        instance.put("id", id);
        config.put("instance", instance);
        copy.put("config", config);
        copy.put("manifest", ((String) release.get("manifest")).replace("i-00000", id));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(JSON.writeValueAsBytes(copy));
        }
        String helmEncoded = Base64.getEncoder().encodeToString(zipped.toByteArray());
        Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
        labels.put("name", id);
        labels.put("status", status);
        labels.put("version", Integer.toString(version));
        return new SecretBuilder()
                .withNewMetadata().withName("sh.helm.release.v1." + id + ".v" + version).withLabels(labels).endMetadata()
                .withType(template.getType())
                .withData(Map.of("release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.US_ASCII))))
                .build();
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
