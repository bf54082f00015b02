package io.wavestore.scheduler.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a Kubernetes Secret reads as one of the store's secrets: by its labels and annotations alone. */
class KubernetesSecretStoreTest {

    @Test
    void aSecretMadeByHandWithTheLabelsIsOneOfTheStoresNamedAfterItselfUnlessAnnotated() {
        StoredSecret plain = KubernetesSecretStore.info(secret("by-hand", Map.of("ALL_USERS", "x"), Map.of())).orElseThrow();
        assertThat(plain.name()).isEqualTo("by-hand");
        assertThat(plain.scope()).isEqualTo(SecretScope.ALL_USERS);
        assertThat(plain.keys()).containsExactly("a", "b");
        assertThat(plain.createdAt()).isEqualTo(Instant.parse("2026-12-01T10:00:00Z"));

        StoredSecret named = KubernetesSecretStore.info(secret("by-hand", Map.of("APP", "x"), Map.of(
                KubernetesSecretStore.NAME_ANNOTATION, "db", KubernetesSecretStore.APP_ANNOTATION, "my-app",
                KubernetesSecretStore.UPDATED_ANNOTATION, "2026-12-02T10:00:00Z"))).orElseThrow();
        assertThat(named.name()).isEqualTo("db");
        assertThat(named.app()).contains("my-app");
        assertThat(named.updatedAt()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
    }

    @Test
    void withoutTheLabelsAnUnknownScopeOrAnAppSecretWithoutItsAppItIsNotTheStores() {
        Secret other = new SecretBuilder().withNewMetadata().withName("x").endMetadata().build();
        assertThat(KubernetesSecretStore.info(other)).isEmpty();
        assertThat(KubernetesSecretStore.info(secret("x", Map.of("SOMEONE", "x"), Map.of()))).isEmpty();
        assertThat(KubernetesSecretStore.info(secret("x", Map.of("APP", "x"), Map.of()))).isEmpty();
    }

    private static Secret secret(String name, Map<String, String> scope, Map<String, String> annotations) {
        return new SecretBuilder().withNewMetadata().withName(name).withCreationTimestamp("2026-12-01T10:00:00Z")
                .addToLabels(KubernetesSecretStore.MANAGED_BY_LABEL, KubernetesSecretStore.MANAGED_BY)
                .addToLabels(KubernetesSecretStore.SCOPE_LABEL, scope.keySet().iterator().next())
                .withAnnotations(annotations).endMetadata()
                .withData(Map.of("a", "MQ==")).withStringData(Map.of("b", "2")).build();
    }
}
