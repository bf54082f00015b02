package io.wavestore.scheduler.helm;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads Helm 3 releases as Helm's Secret storage driver keeps them: one Secret per revision, named
 * {@code sh.helm.release.v1.<name>.v<version>}, of type {@code helm.sh/release.v1}, labelled {@code owner=helm},
 * {@code name}, {@code status} and {@code version}, whose {@code release} data is the base64 of the gzip of the
 * release's JSON (so, in the Kubernetes API, base64 twice). Helm also reads releases stored without gzip; so does
 * this.
 */
public final class ReleaseSecrets {

    public static final String TYPE = "helm.sh/release.v1";
    public static final String OWNER_LABEL = "owner";
    public static final String OWNER = "helm";
    public static final String NAME_LABEL = "name";
    public static final String STATUS_LABEL = "status";
    public static final String VERSION_LABEL = "version";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ReleaseSecrets() {
    }

    /** Whether {@code secret} is a revision of a Helm release. */
    public static boolean isRelease(Secret secret) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        return TYPE.equals(secret.getType()) && labels != null && OWNER.equals(labels.get(OWNER_LABEL))
                && labels.get(NAME_LABEL) != null;
    }

    /** The release name a release Secret is of (its {@code name} label). */
    public static String releaseName(Secret secret) {
        return secret.getMetadata().getLabels().get(NAME_LABEL);
    }

    /** The revision of a release Secret from its {@code version} label, or 0 when it has none. */
    public static int version(Secret secret) {
        try {
            return Integer.parseInt(secret.getMetadata().getLabels().getOrDefault(VERSION_LABEL, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The newest revision of each release among {@code secrets}, by release name (by labels; nothing decoded). */
    public static Map<String, Secret> newestByName(Collection<Secret> secrets) {
        Map<String, Secret> newest = new HashMap<>();
        for (Secret secret : secrets) {
            if (!isRelease(secret)) {
                continue;
            }
            newest.merge(releaseName(secret), secret, (a, b) -> version(b) > version(a) ? b : a);
        }
        return newest;
    }

    /** Decodes a release Secret; empty when it is not one or cannot be read. */
    public static Optional<HelmRelease> decode(Secret secret) {
        if (!isRelease(secret) || secret.getData() == null || secret.getData().get("release") == null) {
            return Optional.empty();
        }
        try {
            byte[] stored = Base64.getDecoder().decode(secret.getData().get("release"));
            return Optional.of(decode(Base64.getDecoder().decode(stored)));
        } catch (IllegalArgumentException | IOException e) {
            return Optional.empty();
        }
    }

    /** Decodes Helm's encoding of a release: gzip (or not) of its JSON. */
    public static HelmRelease decode(byte[] encoded) throws IOException {
        boolean gzip = encoded.length > 2 && (encoded[0] & 0xff) == 0x1f && (encoded[1] & 0xff) == 0x8b;
        try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(encoded), 8192)
                : new ByteArrayInputStream(encoded)) {
            ReleaseJson release = JSON.readValue(in, ReleaseJson.class);
            String chartName = release.chart() == null || release.chart().metadata() == null ? null
                    : release.chart().metadata().name();
            return new HelmRelease(release.name(), release.version(),
                    release.info() == null || release.info().status() == null ? "unknown" : release.info().status(),
                    chartName, release.config() == null ? Map.of() : release.config());
        }
    }

    // Only the fields read; Jackson skips the rest (the chart's templates, the manifest, hooks) without binding it.
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReleaseJson(String name, int version, Info info, Chart chart, Map<String, Object> config) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Info(String status) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Chart(Metadata metadata) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Metadata(String name, String version) {
    }
}
