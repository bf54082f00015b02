package io.wavestore.testkit.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Many Helm releases, fast, for measurements: one release that real Helm installed is the template of copies written
 * directly in Helm's storage format (release JSON, gzip, base64; a {@code helm.sh/release.v1} Secret with the labels
 * Helm sets), with the release name, revision, status, {@code config.instance.id} and the manifest changed. To the
 * store (and to {@code helm list}) they are releases like any other.
 */
public final class HelmReleaseCopies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Secret template;
    private final String templateName;
    private final Map<String, Object> release;

    private HelmReleaseCopies(Secret template, String templateName, Map<String, Object> release) {
        this.template = template;
        this.templateName = templateName;
        this.release = release;
    }

    /** Takes the deployed revision {@code version} of release {@code name} as the template. */
    @SuppressWarnings("unchecked")
    public static HelmReleaseCopies of(KubernetesClient client, String name, int version) {
        Secret template = client.secrets().withName("sh.helm.release.v1." + name + ".v" + version).get();
        if (template == null) {
            throw new IllegalArgumentException("no release Secret for " + name + " revision " + version);
        }
        byte[] helmEncoded = Base64.getDecoder().decode(template.getData().get("release"));
        try {
            return new HelmReleaseCopies(template, name, JSON.readValue(gunzip(Base64.getDecoder().decode(helmEncoded)), Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the template is not a Helm release", e);
        }
    }

    /** The template as revision {@code version} of release {@code id}, with {@code status}, encoded as Helm does. */
    @SuppressWarnings("unchecked")
    public Secret copy(String id, int version, String status) {
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
        copy.put("manifest", ((String) release.get("manifest")).replace(templateName, id));
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(JSON.writeValueAsBytes(copy));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /**
     * Creates releases {@code ids}, each with {@code superseded} superseded revisions before its deployed one (as
     * suspends and resumes leave behind), on 8 threads.
     */
    public void create(KubernetesClient client, List<String> ids, int superseded) {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> created = new ArrayList<>();
            for (String id : ids) {
                created.add(pool.submit(() -> {
                    for (int version = 1; version <= superseded + 1; version++) {
                        client.secrets().resource(copy(id, version, version == superseded + 1 ? "deployed" : "superseded"))
                                .create();
                    }
                    return null;
                }));
            }
            for (Future<?> future : created) {
                future.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating release copies failed", e);
        } finally {
            pool.shutdown();
        }
    }

    /** Bytes of the release data in one Secret, and of the release JSON before gzip. */
    public int secretDataLength() {
        return template.getData().get("release").length();
    }

    public int releaseJsonLength() {
        try {
            return JSON.writeValueAsBytes(release).length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
