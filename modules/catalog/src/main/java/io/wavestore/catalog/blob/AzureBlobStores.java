package io.wavestore.catalog.blob;

import static io.wavestore.catalog.blob.BlobStores.key;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.time.Duration;

/**
 * Builds an {@link AzureBlobStore} from {@code wavestore.blob.azure} and checks its container at start, so
 * wrong credentials or a missing container fail with a message naming the setting, not on the first upload.
 *
 * <p>Credentials, in order: a connection string; an account name and key (shared key); else the Azure
 * identity chain ({@code DefaultAzureCredential}: environment, workload identity on AKS, managed identity,
 * Azure CLI), optionally for the user-assigned identity named by {@code client-id}.
 */
final class AzureBlobStores {

    // Throttling (429, 503) and server errors are retried this many times in all, with exponential backoff from
    // azure.retry-delay.
    static final int MAX_TRIES = 5;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private AzureBlobStores() {
    }

    static AzureBlobStore create(Config azure) {
        String container = BlobStores.requiredSetting(azure, "azure", "container", "an Azure container",
                "WAVESTORE_AZURE_CONTAINER");
        BlobContainerClient client = client(azure, container);
        checkContainer(client, azure.getBoolean("create-container"));
        return new AzureBlobStore(client, azure.getString("prefix"));
    }

    static BlobContainerClient client(Config azure, String container) {
        URI endpoint = BlobStores.endpoint(azure.getString("endpoint").strip(), "azure.endpoint",
                "WAVESTORE_AZURE_ENDPOINT");
        String connectionString = azure.getString("connection-string").strip();
        String accountName = azure.getString("account-name").strip();
        String accountKey = azure.getString("account-key").strip();

        BlobContainerClientBuilder builder = new BlobContainerClientBuilder()
                .containerName(container)
                .httpClient(new JdkHttpClientBuilder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .readTimeout(READ_TIMEOUT)
                        .build())
                .retryOptions(new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, MAX_TRIES, (Duration) null,
                        azure.getDuration("retry-delay"), MAX_RETRY_DELAY, null))
                // Runs once per try, below the retry policy: see BufferedErrorResponses for why.
                .addPolicy(new BufferedErrorResponses());
        if (!connectionString.isEmpty()) {
            if (!accountKey.isEmpty()) {
                throw new ConfigException.BadValue(key("azure.account-key"), "set either " + key("azure.connection-string")
                        + " (env WAVESTORE_AZURE_CONNECTION_STRING) or an account key, not both");
            }
            try {
                builder.connectionString(connectionString);
            } catch (IllegalArgumentException e) {
                // The SDK's message may quote the string, and with it the key: name the setting only.
                throw new ConfigException.BadValue(key("azure.connection-string"),
                        "not an Azure Storage connection string (env WAVESTORE_AZURE_CONNECTION_STRING)");
            }
            if (endpoint != null) {
                builder.endpoint(endpoint.toString());
            }
            return builder.buildClient();
        }
        if (endpoint == null) {
            throw new ConfigException.BadValue(key("azure.endpoint"), "required unless "
                    + key("azure.connection-string") + " is set, e.g. https://<account>.blob.core.windows.net"
                    + " (env WAVESTORE_AZURE_ENDPOINT)");
        }
        builder.endpoint(endpoint.toString());
        if (!accountKey.isEmpty()) {
            if (accountName.isEmpty()) {
                throw new ConfigException.BadValue(key("azure.account-name"), "required with "
                        + key("azure.account-key") + " (env WAVESTORE_AZURE_ACCOUNT_NAME)");
            }
            builder.credential(new StorageSharedKeyCredential(accountName, accountKey));
        } else {
            if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
                // The SDK refuses to send a bearer token in clear text, with a message that names no setting.
                throw new ConfigException.BadValue(key("azure.endpoint"), "the Azure identity chain needs an https://"
                        + " endpoint (env WAVESTORE_AZURE_ENDPOINT); for an http:// one (Azurite) set "
                        + key("azure.account-key") + " or " + key("azure.connection-string"));
            }
            DefaultAzureCredentialBuilder identity = new DefaultAzureCredentialBuilder();
            String clientId = azure.getString("client-id").strip();
            if (!clientId.isEmpty()) {
                identity.managedIdentityClientId(clientId).workloadIdentityClientId(clientId);
            }
            builder.credential(identity.build());
        }
        return builder.buildClient();
    }

    private static void checkContainer(BlobContainerClient client, boolean create) {
        String where = "Azure container '" + client.getBlobContainerName() + "' at " + client.getAccountUrl();
        try {
            if (client.exists()) {
                return;
            }
            if (!create) {
                throw new IllegalStateException(where + " does not exist (" + key("azure.container")
                        + ", env WAVESTORE_AZURE_CONTAINER); create it, or set " + key("azure.create-container")
                        + " = true (env WAVESTORE_AZURE_CREATE_CONTAINER)");
            }
            // Another replica may create it at the same moment: that is fine.
            client.createIfNotExists();
        } catch (BlobStorageException e) {
            throw new IllegalStateException(where + ": " + refusal(e), e);
        } catch (ClientAuthenticationException e) { // CredentialUnavailableException too: no identity found
            throw new IllegalStateException("No Azure credentials for " + where + ": set "
                    + key("azure.connection-string") + " (env WAVESTORE_AZURE_CONNECTION_STRING), "
                    + key("azure.account-name") + " and " + key("azure.account-key")
                    + " (env WAVESTORE_AZURE_ACCOUNT_NAME, WAVESTORE_AZURE_ACCOUNT_KEY), or run with a managed or"
                    + " workload identity (" + key("azure.client-id") + " names a user-assigned one): "
                    + firstLine(e.getMessage()), e);
        } catch (IllegalStateException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot reach " + where + " (" + key("azure.endpoint")
                    + ", env WAVESTORE_AZURE_ENDPOINT): " + firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    private static String refusal(BlobStorageException e) {
        int status = e.getStatusCode();
        BlobErrorCode code = e.getErrorCode();
        if (status == 401 || status == 403) {
            return "access denied (" + code + "); check " + key("azure.account-key") + " / "
                    + key("azure.connection-string") + " (env WAVESTORE_AZURE_ACCOUNT_KEY,"
                    + " WAVESTORE_AZURE_CONNECTION_STRING) or the identity's role on the container";
        }
        return "HTTP " + status + " " + code;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
