package io.wavestore.scheduler.secrets;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Secrets on Kubernetes: one Kubernetes Secret per store secret, in the instances' namespace (pods read them from
 * there, as env and files), labelled as the store's. Its facts are labels and annotations, so a Secret made by
 * hand with the same labels and annotations is one of the store's secrets like any other:
 * <ul>
 * <li>label {@value #MANAGED_BY_LABEL}: {@value #MANAGED_BY} and label {@value #SCOPE_LABEL}: PRIVATE, ALL_USERS or APP;
 * <li>annotation {@value #NAME_ANNOTATION}: the name app.toml refers to (default: the Secret's own name);
 * <li>annotation {@value #OWNER_ANNOTATION}: the user who owns it (PRIVATE: whose instances may use it);
 * <li>annotation {@value #APP_ANNOTATION}: the app it is bound to (APP).
 * </ul>
 */
public final class KubernetesSecretStore implements SecretStore {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "wavestore";
    public static final String SCOPE_LABEL = "wavestore.io/secret-scope";
    public static final String NAME_ANNOTATION = "wavestore.io/secret-name";
    public static final String OWNER_ANNOTATION = "wavestore.io/secret-owner";
    public static final String APP_ANNOTATION = "wavestore.io/secret-app";
    public static final String UPDATED_ANNOTATION = "wavestore.io/updated-at";

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;

    public KubernetesSecretStore(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    @Override
    public List<StoredSecret> list() {
        return client.secrets().inNamespace(namespace).withLabel(MANAGED_BY_LABEL, MANAGED_BY).withLabel(SCOPE_LABEL)
                .list().getItems().stream().map(KubernetesSecretStore::info).flatMap(Optional::stream).toList();
    }

    @Override
    public Optional<StoredSecret> get(String id) {
        return find(id).flatMap(KubernetesSecretStore::info);
    }

    @Override
    public StoredSecret create(NewSecret secret, Map<String, String> values) {
        if (list().stream().anyMatch(s -> s.sameAs(secret.name(), secret.scope(), secret.owner(), secret.app()))) {
            throw new SecretConflict("a " + secret.scope() + " secret named '" + secret.name() + "' exists already");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(NAME_ANNOTATION, secret.name());
        annotations.put(OWNER_ANNOTATION, secret.owner());
        secret.app().ifPresent(app -> annotations.put(APP_ANNOTATION, app));
        annotations.put(UPDATED_ANNOTATION, clock.instant().toString());
        Secret created = new SecretBuilder()
                .withNewMetadata()
                .withName(SecretNames.idOf(secret.name(), secret.scope(), secret.owner(), secret.app()))
                .withNamespace(namespace)
                .addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
                .addToLabels(SCOPE_LABEL, secret.scope().name())
                .withAnnotations(annotations)
                .endMetadata()
                .withType("Opaque")
                .withData(encoded(values))
                .build();
        try {
            return info(client.secrets().inNamespace(namespace).resource(created).create()).orElseThrow();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new SecretConflict("a " + secret.scope() + " secret named '" + secret.name() + "' exists already");
            }
            throw failure("create", e);
        }
    }

    @Override
    public Optional<StoredSecret> replace(String id, Map<String, String> values) {
        if (find(id).isEmpty()) {
            return Optional.empty();
        }
        try {
            Secret edited = client.secrets().inNamespace(namespace).withName(id).edit(s -> {
                s.getMetadata().getAnnotations().put(UPDATED_ANNOTATION, clock.instant().toString());
                s.setData(encoded(values));
                s.setStringData(null);
                return s;
            });
            return info(edited);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw failure("replace", e);
        }
    }

    @Override
    public boolean delete(String id) {
        if (find(id).isEmpty()) {
            return false;
        }
        try {
            return !client.secrets().inNamespace(namespace).withName(id).delete().isEmpty();
        } catch (KubernetesClientException e) {
            throw failure("delete", e);
        }
    }

    @Override
    public Optional<Map<String, String>> values(String id) {
        return find(id).map(s -> {
            Map<String, String> values = new LinkedHashMap<>();
            if (s.getData() != null) {
                s.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            return values;
        });
    }

    /** The store's own client (see RuntimeFactory): closed with it. */
    @Override
    public void close() {
        client.close();
    }

    /** Only a Secret of the store's: the API never reaches another Secret of the namespace through an id. */
    private Optional<Secret> find(String id) {
        if (!SecretNames.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(id).get())
                    .filter(s -> info(s).isPresent());
        } catch (KubernetesClientException e) {
            throw failure("read", e);
        }
    }

    /** The facts of a Secret, or empty when it is not one of the store's secrets. */
    static Optional<StoredSecret> info(Secret secret) {
        ObjectMeta meta = secret.getMetadata();
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        if (!MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) || labels.get(SCOPE_LABEL) == null) {
            return Optional.empty();
        }
        SecretScope scope;
        try {
            scope = SecretScope.valueOf(labels.get(SCOPE_LABEL).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        Optional<String> app = Optional.ofNullable(annotations.get(APP_ANNOTATION)).filter(a -> !a.isBlank());
        if (scope == SecretScope.APP && app.isEmpty()) {
            return Optional.empty();
        }
        Instant created = meta.getCreationTimestamp() == null ? Instant.EPOCH : parse(meta.getCreationTimestamp(), Instant.EPOCH);
        Instant updated = Optional.ofNullable(annotations.get(UPDATED_ANNOTATION)).map(t -> parse(t, created)).orElse(created);
        return Optional.of(new StoredSecret(meta.getName(), annotations.getOrDefault(NAME_ANNOTATION, meta.getName()), scope,
                annotations.getOrDefault(OWNER_ANNOTATION, ""), scope == SecretScope.APP ? app : Optional.empty(),
                List.copyOf(keys(secret)), created, updated));
    }

    private static List<String> keys(Secret secret) {
        java.util.Set<String> keys = new java.util.TreeSet<>();
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        return List.copyOf(keys);
    }

    private static Instant parse(String text, Instant otherwise) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return otherwise;
        }
    }

    private static Map<String, String> encoded(Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return data;
    }

    /** The status and reason only: a Kubernetes error can echo the request, which holds values. */
    private static IllegalStateException failure(String what, KubernetesClientException e) {
        return new IllegalStateException("Kubernetes refused to " + what + " a secret (HTTP " + e.getCode()
                + (e.getStatus() != null && e.getStatus().getReason() != null ? ", " + e.getStatus().getReason() : "") + ")");
    }
}
