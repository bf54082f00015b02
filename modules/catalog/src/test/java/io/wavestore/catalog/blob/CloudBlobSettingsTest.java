package io.wavestore.catalog.blob;

import static io.wavestore.catalog.blob.BlobStoresTest.blobConfig;
import static io.wavestore.catalog.blob.BlobStoresTest.catalogReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.wavestore.testkit.ModuleReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Azure and GCS settings: defaults, environment overrides, and what is refused before any network call. */
class CloudBlobSettingsTest {

    @TempDir
    Path dataDir;

    // Creating a blob store of these settings fails with a ConfigException; the caller goes on to check its message.
    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String type, Object... pairs) {
        Config config = blobConfig(settings(type, pairs));
        return assertThatThrownBy(() -> BlobStores.create(config, dataDir)).isInstanceOf(ConfigException.class);
    }

    private static Map<String, Object> settings(String type, Object... pairs) {
        Map<String, Object> settings = new HashMap<>(Map.of("wavestore.blob.type", type));
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put("wavestore.blob." + pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    @Test
    void referenceDefaultsAreEmpty() {
        Config defaults = catalogReference().resolve().getConfig("wavestore.blob");
        for (String setting : new String[] {"azure.endpoint", "azure.container", "azure.prefix",
                "azure.connection-string", "azure.account-name", "azure.account-key", "azure.client-id",
                "gcs.endpoint", "gcs.bucket", "gcs.prefix", "gcs.credentials-file", "gcs.project-id"}) {
            assertThat(defaults.getString(setting)).as(setting).isEmpty();
        }
        assertThat(defaults.getBoolean("azure.create-container")).isFalse();
        assertThat(defaults.getBoolean("gcs.create-bucket")).isFalse();
        assertThat(defaults.getBoolean("gcs.anonymous")).isFalse();
        assertThat(defaults.getDuration("gcs.retry-delay")).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(defaults.getDuration("azure.retry-delay")).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @Test
    void environmentOverridesAreWired() {
        Map<String, String> azure = Map.of(
                "WAVESTORE_AZURE_ENDPOINT", "azure.endpoint",
                "WAVESTORE_AZURE_CONTAINER", "azure.container",
                "WAVESTORE_AZURE_PREFIX", "azure.prefix",
                "WAVESTORE_AZURE_CONNECTION_STRING", "azure.connection-string",
                "WAVESTORE_AZURE_ACCOUNT_NAME", "azure.account-name",
                "WAVESTORE_AZURE_ACCOUNT_KEY", "azure.account-key",
                "WAVESTORE_AZURE_CLIENT_ID", "azure.client-id",
                "WAVESTORE_AZURE_CREATE_CONTAINER", "azure.create-container",
                "WAVESTORE_AZURE_RETRY_DELAY", "azure.retry-delay");
        Map<String, String> gcs = Map.of(
                "WAVESTORE_GCS_ENDPOINT", "gcs.endpoint",
                "WAVESTORE_GCS_BUCKET", "gcs.bucket",
                "WAVESTORE_GCS_PREFIX", "gcs.prefix",
                "WAVESTORE_GCS_CREDENTIALS_FILE", "gcs.credentials-file",
                "WAVESTORE_GCS_ANONYMOUS", "gcs.anonymous",
                "WAVESTORE_GCS_PROJECT_ID", "gcs.project-id",
                "WAVESTORE_GCS_CREATE_BUCKET", "gcs.create-bucket",
                "WAVESTORE_GCS_RETRY_DELAY", "gcs.retry-delay");
        assertThat(ModuleReference.settingsSetBy(BlobStores.class, "wavestore.blob", azure.keySet())).isEqualTo(azure);
        assertThat(ModuleReference.settingsSetBy(BlobStores.class, "wavestore.blob", gcs.keySet())).isEqualTo(gcs);
    }

    @Test
    void azureWithoutContainerNamesTheSetting() {
        assertRefused("azure")
                .hasMessageContaining("wavestore.blob.azure.container")
                .hasMessageContaining("WAVESTORE_AZURE_CONTAINER");
    }

    @Test
    void azureWithoutEndpointOrConnectionStringNamesTheEndpoint() {
        assertRefused("azure", "azure.container", "apps")
                .hasMessageContaining("wavestore.blob.azure.endpoint")
                .hasMessageContaining("WAVESTORE_AZURE_ENDPOINT");
    }

    @Test
    void azureAccountKeyNeedsTheAccountName() {
        assertRefused("azure", "azure.container", "apps",
                "azure.endpoint", "https://acct.blob.core.windows.net", "azure.account-key", "a2V5")
                .hasMessageContaining("wavestore.blob.azure.account-name");
    }

    @Test
    void azureCredentialsAreGivenOneWay() {
        assertRefused("azure", "azure.container", "apps",
                "azure.connection-string", "UseDevelopmentStorage=true", "azure.account-key", "a2V5")
                .hasMessageContaining("wavestore.blob.azure.connection-string")
                .hasMessageContaining("not both");
    }

    @Test
    void theIdentityChainNeedsHttps() {
        assertRefused("azure", "azure.container", "apps",
                "azure.endpoint", "http://127.0.0.1:10000/devstoreaccount1")
                .hasMessageContaining("wavestore.blob.azure.endpoint")
                .hasMessageContaining("https://");
    }

    @Test
    void aMalformedConnectionStringIsNotQuoted() {
        assertRefused("azure", "azure.container", "apps",
                "azure.connection-string", "AccountKey=the-secret-value;nonsense")
                .hasMessageContaining("wavestore.blob.azure.connection-string")
                .hasMessageNotContaining("the-secret-value");
    }

    @Test
    void azureEndpointMustBeAnHttpUrl() {
        assertRefused("azure", "azure.container", "apps", "azure.endpoint", "acct.blob")
                .hasMessageContaining("wavestore.blob.azure.endpoint");
    }

    @Test
    void gcsWithoutBucketNamesTheSetting() {
        assertRefused("gcs")
                .hasMessageContaining("wavestore.blob.gcs.bucket")
                .hasMessageContaining("WAVESTORE_GCS_BUCKET");
    }

    @Test
    void gcsAnonymousExcludesACredentialsFile() {
        assertRefused("gcs", "gcs.bucket", "b", "gcs.anonymous", true,
                "gcs.credentials-file", "/secrets/sa.json")
                .hasMessageContaining("wavestore.blob.gcs.anonymous");
    }

    @Test
    void aCredentialsFileThatIsNoServiceAccountKeyIsRefusedWithoutQuotingIt() throws IOException {
        Path file = Files.writeString(dataDir.resolve("sa.json"), "{\"type\": \"authorized_user\", \"secret\": \"s3cr3t\"}");
        assertRefused("gcs", "gcs.bucket", "b", "gcs.credentials-file", file.toString())
                .hasMessageContaining("wavestore.blob.gcs.credentials-file")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aMissingCredentialsFileNamesTheSetting() {
        assertRefused("gcs", "gcs.bucket", "b",
                "gcs.credentials-file", dataDir.resolve("absent.json").toString())
                .hasMessageContaining("wavestore.blob.gcs.credentials-file");
    }
}
