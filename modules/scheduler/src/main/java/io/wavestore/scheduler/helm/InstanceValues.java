package io.wavestore.scheduler.helm;

import io.wavestore.bundle.AppMode;
import io.wavestore.bundle.EnvVarSpec;
import io.wavestore.bundle.FileSpec;
import io.wavestore.bundle.RuntimeSection;
import io.wavestore.identity.Visibility;
import io.wavestore.scheduler.runtime.InstanceRecord;
import io.wavestore.scheduler.runtime.InstanceSpec;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The values contract of {@code charts/wave-instance} (its values.yaml documents every key), both ways: an instance
 * spec and the operator's chart settings become the full values of a release; a release's values give back the
 * instance's record. Only the {@code instance} block is read back; everything else is how the pod is made.
 */
public final class InstanceValues {

    /** Where waved listens in the pod; the Service's port is the same. */
    public static final String LISTEN_ADDRESS = ":10101";

    private InstanceValues() {
    }

    /** Every value of the release of {@code spec}: nothing is left to values an earlier revision had. */
    public static Map<String, Object> of(InstanceSpec spec, ChartSettings settings) {
        InstanceRecord record = spec.record();
        RuntimeSection runtime = spec.runtime();
        InstanceSpec.LauncherSettings launcher = spec.launcher();

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("instance", map(
                "id", record.instanceId(),
                "appId", record.appId(),
                "appName", record.appName(),
                "appVersion", record.appVersion(),
                "owner", record.ownerId(),
                "ownerFullUser", record.ownerFullUser(),
                "visibility", record.visibility().name(),
                "suspended", record.suspended(),
                "suspendedReason", record.suspendedReason().orElse(""),
                "createdAt", DateTimeFormatter.ISO_INSTANT.format(record.createdAt())));
        values.put("launcher", map(
                "bundleUrl", nullToEmpty(launcher.bundleUrl()),
                "bundleSha256", nullToEmpty(launcher.bundleSha256()),
                "token", nullToEmpty(launcher.token()),
                "progressUrl", nullToEmpty(launcher.progressUrl()),
                "baseUrl", launcher.baseUrl() == null || launcher.baseUrl().isEmpty() ? "/" : launcher.baseUrl(),
                "listenAddress", LISTEN_ADDRESS));
        values.put("app", map(
                "module", runtime.module().orElse(""),
                "mode", runtime.appMode().name().toLowerCase(Locale.ROOT),
                "port", runtime.appMode() == AppMode.PYTHON ? runtime.port().orElse(null) : null,
                "env", env(spec.env()),
                "files", files(spec.files())));
        values.put("resources", map(
                "requests", cpuMemory(runtime.cpuReservation(), runtime.memoryReservation()),
                "limits", cpuMemory(runtime.cpuLimit(), runtime.memoryLimit())));
        values.put("gpu", map(
                "count", runtime.gpuCount(),
                "type", runtime.gpuCount() > 0 ? runtime.gpuType().orElse("") : "",
                "resourceName", settings.gpuResourceName(),
                "typeLabel", settings.gpuTypeLabel()));
        values.put("volumes", map(
                "data", map("mountPath", runtime.volumeMount().orElse(""), "size", runtime.volumeSize().orElse("")),
                "resources", map("size", runtime.resourceVolumeSize().orElse("")),
                "storageClass", settings.storageClass()));
        values.put("shm", map("enabled", runtime.enableShm()));
        // Wave's sign-in for EnableOIDC apps: settings and the name of the Secret with the client secret, never its value.
        launcher.oidc().ifPresent(oidc -> values.put("oidc", map(
                "clientId", oidc.clientId(),
                "providerUrl", oidc.providerUrl(),
                "redirectUrl", oidc.redirectUrl(),
                "endSessionUrl", oidc.endSessionUrl(),
                "postLogoutRedirectUrl", oidc.postLogoutRedirectUrl(),
                "scopes", oidc.scopes(),
                "skipLogin", oidc.skipLogin(),
                "clientSecret", map("secret", oidc.secretName(), "key", oidc.secretKey()))));
        values.put("image", map(
                "repository", settings.imageRepository(),
                "tag", settings.imageTag(),
                "pullPolicy", settings.imagePullPolicy()));
        values.put("imagePullSecrets", settings.imagePullSecrets().stream().map(name -> map("name", name)).toList());
        values.put("extraEnv", settings.extraEnv());
        values.put("podLabels", settings.podLabels());
        values.put("podAnnotations", settings.podAnnotations());
        values.put("nodeSelector", settings.nodeSelector());
        values.put("tolerations", settings.tolerations());
        values.put("serviceAccountName", settings.serviceAccountName());
        return values;
    }

    /**
     * The record kept in a release's user-supplied values ({@code config}), or empty when they do not hold one
     * (a release of the chart made by hand without the {@code instance} block).
     */
    public static Optional<InstanceRecord> record(String releaseName, Map<String, Object> config,
                                                  InstanceRecord.ReleaseState state, int revision) {
        if (!(config.get("instance") instanceof Map<?, ?> instance)) {
            return Optional.empty();
        }
        try {
            String id = string(instance, "id");
            if (id == null || id.isEmpty()) {
                id = releaseName;
            }
            String appId = string(instance, "appId");
            String appName = string(instance, "appName");
            String appVersion = string(instance, "appVersion");
            String owner = string(instance, "owner");
            String visibility = string(instance, "visibility");
            String createdAt = string(instance, "createdAt");
            if (!id.equals(releaseName) || isBlank(appId) || isBlank(appName) || isBlank(appVersion) || isBlank(owner)
                    || isBlank(createdAt)) {
                return Optional.empty();
            }
            boolean suspended = Boolean.TRUE.equals(instance.get("suspended"))
                    || "true".equals(String.valueOf(instance.get("suspended")));
            // a release from before the owner's role was kept counts as a visitor's: no ALL_USERS secrets
            boolean ownerFullUser = Boolean.TRUE.equals(instance.get("ownerFullUser"))
                    || "true".equals(String.valueOf(instance.get("ownerFullUser")));
            return Optional.of(new InstanceRecord(id, appId, appName, appVersion, owner, ownerFullUser,
                    visibility == null || visibility.isEmpty() ? Visibility.PRIVATE : Visibility.valueOf(visibility),
                    suspended, parseInstant(createdAt), state, revision,
                    Optional.ofNullable(string(instance, "suspendedReason"))));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static List<Map<String, Object>> env(List<EnvVarSpec> env) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (EnvVarSpec e : env) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", e.name());
            if (putSecretOrValue(entry, e.secret(), e.secretKey(), e.value())) {
                entry.put("optional", e.optional());
            }
            entries.add(entry);
        }
        return entries;
    }

    private static List<Map<String, Object>> files(List<FileSpec> files) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (FileSpec f : files) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("path", f.path());
            putSecretOrValue(entry, f.secret(), f.secretKey(), f.value());
            entries.add(entry);
        }
        return entries;
    }

    // An env var's or a file's content: the secret (and its key) it comes from, or else its value; true for a secret.
    private static boolean putSecretOrValue(Map<String, Object> entry, Optional<String> secret,
            Optional<String> secretKey, Optional<String> value) {
        if (secret.isEmpty()) {
            entry.put("value", value.orElse(""));
            return false;
        }
        entry.put("secret", secret.get());
        secretKey.ifPresent(key -> entry.put("secretKey", key));
        return true;
    }

    private static Map<String, Object> cpuMemory(Optional<String> cpu, Optional<String> memory) {
        Map<String, Object> quantities = new LinkedHashMap<>();
        cpu.ifPresent(c -> quantities.put("cpu", c));
        memory.ifPresent(m -> quantities.put("memory", m));
        return quantities;
    }

    /** A map of key, value, key, value... that keeps its order and allows null values. */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String string(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value == null ? null : value.toString();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static Instant parseInstant(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }
}
