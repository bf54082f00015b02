package io.wavestore.catalog.blob;

import static io.wavestore.catalog.blob.BlobStoresTest.blobConfig;
import static io.wavestore.catalog.blob.BlobStoresTest.catalogReference;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
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
        Map<String, String> env = new HashMap<>();
        env.put("WAVESTORE_AZURE_ENDPOINT", "https://acct.blob.core.windows.net");
        env.put("WAVESTORE_AZURE_CONTAINER", "apps");
        env.put("WAVESTORE_AZURE_PREFIX", "store/");
        env.put("WAVESTORE_AZURE_CONNECTION_STRING", "cs");
        env.put("WAVESTORE_AZURE_ACCOUNT_NAME", "acct");
        env.put("WAVESTORE_AZURE_ACCOUNT_KEY", "key");
        env.put("WAVESTORE_AZURE_CLIENT_ID", "client");
        env.put("WAVESTORE_AZURE_CREATE_CONTAINER", "true");
        env.put("WAVESTORE_GCS_ENDPOINT", "http://gcs:4443");
        env.put("WAVESTORE_GCS_BUCKET", "bundles");
        env.put("WAVESTORE_GCS_PREFIX", "gstore/");
        env.put("WAVESTORE_GCS_CREDENTIALS_FILE", "/secrets/sa.json");
        env.put("WAVESTORE_GCS_ANONYMOUS", "true");
        env.put("WAVESTORE_GCS_PROJECT_ID", "proj");
        env.put("WAVESTORE_GCS_CREATE_BUCKET", "true");
        env.put("WAVESTORE_GCS_RETRY_DELAY", "2s");
        env.put("WAVESTORE_AZURE_RETRY_DELAY", "3s");
        Config blob = catalogReference().withFallback(ConfigFactory.parseMap(env)).resolve().getConfig("wavestore.blob");

        assertThat(blob.getString("azure.endpoint")).isEqualTo("https://acct.blob.core.windows.net");
        assertThat(blob.getString("azure.container")).isEqualTo("apps");
        assertThat(blob.getString("azure.prefix")).isEqualTo("store/");
        assertThat(blob.getString("azure.connection-string")).isEqualTo("cs");
        assertThat(blob.getString("azure.account-name")).isEqualTo("acct");
        assertThat(blob.getString("azure.account-key")).isEqualTo("key");
        assertThat(blob.getString("azure.client-id")).isEqualTo("client");
        assertThat(blob.getBoolean("azure.create-container")).isTrue();
        assertThat(blob.getString("gcs.endpoint")).isEqualTo("http://gcs:4443");
        assertThat(blob.getString("gcs.bucket")).isEqualTo("bundles");
        assertThat(blob.getString("gcs.prefix")).isEqualTo("gstore/");
        assertThat(blob.getString("gcs.credentials-file")).isEqualTo("/secrets/sa.json");
        assertThat(blob.getBoolean("gcs.anonymous")).isTrue();
        assertThat(blob.getString("gcs.project-id")).isEqualTo("proj");
        assertThat(blob.getBoolean("gcs.create-bucket")).isTrue();
        assertThat(blob.getDuration("gcs.retry-delay")).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(blob.getDuration("azure.retry-delay")).isEqualTo(java.time.Duration.ofSeconds(3));
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
