package io.wavestore.scheduler.helm;

import static io.wavestore.scheduler.helm.ChartRendering.one;
import static io.wavestore.scheduler.helm.StoreChart.FULLNAME;
import static io.wavestore.scheduler.helm.StoreChart.set;
import static io.wavestore.scheduler.helm.WavestoreChartTest.container;
import static io.wavestore.scheduler.helm.WavestoreChartTest.decoded;
import static io.wavestore.scheduler.helm.WavestoreChartTest.plainEnv;
import static io.wavestore.scheduler.helm.WavestoreChartTest.render;
import static io.wavestore.scheduler.helm.WavestoreChartTest.secretRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** charts/wavestore with blobs in Azure Blob Storage or Google Cloud Storage, rendered by real Helm (helm-java). */
class WavestoreChartBlobsTest {

    private static Map<String, Object> azure(String credential) {
        Map<String, Object> values = set(StoreChart.values(), "blobs.type", "azure");
        set(values, "blobs.azure.container", "bundles");
        set(values, "blobs.azure.credential", credential);
        return values;
    }

    @Test
    void azureWithThePodsIdentityNeedsNoSecret() throws IOException {
        Map<String, Object> values = azure("identity");
        set(values, "blobs.azure.endpoint", "https://acct.blob.core.windows.net");
        set(values, "blobs.azure.clientId", "00000000-0000-0000-0000-000000000001");
        set(values, "podLabels", Map.of("azure.workload.identity/use", "true"));
        Container store = container(one(render(values), Deployment.class));

        assertThat(plainEnv(store))
                .containsEntry("WAVESTORE_BLOB_TYPE", "azure")
                .containsEntry("WAVESTORE_AZURE_CONTAINER", "bundles")
                .containsEntry("WAVESTORE_AZURE_ENDPOINT", "https://acct.blob.core.windows.net")
                .containsEntry("WAVESTORE_AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001")
                .containsEntry("WAVESTORE_AZURE_CREATE_CONTAINER", "false")
                .doesNotContainKeys("WAVESTORE_AZURE_ACCOUNT_KEY", "WAVESTORE_AZURE_CONNECTION_STRING",
                        "WAVESTORE_S3_BUCKET", "WAVESTORE_BLOB_DIR");
    }

    @Test
    void anInlineAccountKeyGoesToTheChartSecret() throws IOException {
        Map<String, Object> values = azure("accountKey");
        set(values, "blobs.azure.endpoint", "https://acct.blob.core.windows.net");
        set(values, "blobs.azure.accountName", "acct");
        set(values, "blobs.azure.accountKey", "a2V5");
        List<HasMetadata> objects = render(values);
        Container store = container(one(objects, Deployment.class));

        assertThat(plainEnv(store)).containsEntry("WAVESTORE_AZURE_ACCOUNT_NAME", "acct");
        assertThat(secretRef(store, "WAVESTORE_AZURE_ACCOUNT_KEY")).isEqualTo(FULLNAME + "/azure-credential");
        assertThat(decoded(one(objects, Secret.class))).containsEntry("azure-credential", "a2V5");
    }

    @Test
    void aConnectionStringInAnExistingSecretIsOnlyReferenced() throws IOException {
        Map<String, Object> values = azure("connectionString");
        set(values, "blobs.azure.existingSecret", "azure-storage");
        set(values, "blobs.azure.existingSecretKey", "connection-string");
        List<HasMetadata> objects = render(values);
        Container store = container(one(objects, Deployment.class));

        assertThat(secretRef(store, "WAVESTORE_AZURE_CONNECTION_STRING")).isEqualTo("azure-storage/connection-string");
        assertThat(decoded(one(objects, Secret.class))).doesNotContainKey("connection-string")
                .doesNotContainKey("azure-credential");
    }

    @Test
    void gcsWithAServiceAccountKeyMountsItAsAFile() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "blobs.type", "gcs");
        set(values, "blobs.gcs.bucket", "bundles");
        set(values, "blobs.gcs.prefix", "store/");
        set(values, "blobs.gcs.existingSecret", "gcs-key");
        Deployment deployment = one(render(values), Deployment.class);
        Container store = container(deployment);

        assertThat(plainEnv(store))
                .containsEntry("WAVESTORE_BLOB_TYPE", "gcs")
                .containsEntry("WAVESTORE_GCS_BUCKET", "bundles")
                .containsEntry("WAVESTORE_GCS_PREFIX", "store/")
                .containsEntry("WAVESTORE_GCS_CREDENTIALS_FILE", "/var/run/secrets/wavestore/gcs/credentials.json")
                .doesNotContainKeys("WAVESTORE_S3_BUCKET", "WAVESTORE_BLOB_DIR");
        assertThat(store.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getName()).isEqualTo("gcs-credentials");
            assertThat(mount.getMountPath()).isEqualTo("/var/run/secrets/wavestore/gcs");
            assertThat(mount.getReadOnly()).isTrue();
        });
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(volume -> {
            assertThat(volume.getName()).isEqualTo("gcs-credentials");
            assertThat(volume.getSecret().getSecretName()).isEqualTo("gcs-key");
        });
    }

    @Test
    void gcsWithApplicationDefaultCredentialsMountsNothing() throws IOException {
        Map<String, Object> values = set(StoreChart.values(), "blobs.type", "gcs");
        set(values, "blobs.gcs.bucket", "bundles");
        Container store = container(one(render(values), Deployment.class));

        assertThat(plainEnv(store)).doesNotContainKey("WAVESTORE_GCS_CREDENTIALS_FILE");
        assertThat(store.getVolumeMounts()).noneSatisfy(mount -> assertThat(mount.getName()).isEqualTo("gcs-credentials"));
    }

    @Test
    void whatCannotWorkIsRefusedWithTheSettingToChange() {
        assertRefused(set(StoreChart.values(), "blobs.type", "azure"), "blobs.azure.container is required");
        assertRefused(azure("identity"), "blobs.azure.endpoint is required");
        Map<String, Object> identityWithKey = azure("identity");
        set(identityWithKey, "blobs.azure.endpoint", "https://acct.blob.core.windows.net");
        set(identityWithKey, "blobs.azure.accountKey", "a2V5");
        assertRefused(identityWithKey, "set blobs.azure.credential accountKey or connectionString");
        assertRefused(azure("connectionString"), "needs blobs.azure.connectionString or blobs.azure.existingSecret");
        Map<String, Object> keyWithoutAccount = azure("accountKey");
        set(keyWithoutAccount, "blobs.azure.accountKey", "a2V5");
        assertRefused(keyWithoutAccount, "needs blobs.azure.accountName and blobs.azure.endpoint");
        assertRefused(azure("password"), "/blobs/azure/credential");
        assertRefused(set(StoreChart.values(), "blobs.type", "gcs"), "blobs.gcs.bucket is required");
    }

    private static void assertRefused(Map<String, Object> values, String message) {
        assertThatThrownBy(() -> render(values)).as(message).hasMessageContaining(message);
    }
}
