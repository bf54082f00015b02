package io.wavestore.catalog.blob;

import static io.wavestore.catalog.blob.BlobStores.key;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.HttpStorageOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds a {@link GcsBlobStore} from {@code wavestore.blob.gcs} and checks its bucket at start, so wrong
 * credentials or a missing bucket fail with a message naming the setting, not on the first upload.
 *
 * <p>Credentials: a service account's JSON key file, else application default credentials
 * ({@code GOOGLE_APPLICATION_CREDENTIALS}, GKE workload identity, the metadata server), or none at all for an
 * emulator ({@code anonymous}).
 */
final class GcsBlobStores {

    // Throttling (429), server errors and broken connections are retried this many times in all, with
    // exponential backoff from gcs.retry-delay; idempotent calls only (the uploads are, being conditional).
    static final int MAX_ATTEMPTS = 5;
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    private static final Duration TOTAL_TIMEOUT = Duration.ofMinutes(10);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    // A project id is only needed to create a bucket; without one the client would ask the metadata server.
    private static final String EMULATOR_PROJECT = "wavestore";

    private GcsBlobStores() {
    }

    static GcsBlobStore create(Config gcs) {
        String bucket = BlobStores.requiredSetting(gcs, "gcs", "bucket", "a GCS bucket", "WAVESTORE_GCS_BUCKET");
        Storage storage = storage(gcs);
        GcsBlobStore store = new GcsBlobStore(storage, bucket, gcs.getString("prefix"));
        try {
            checkBucket(storage, bucket, gcs.getBoolean("create-bucket"));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    static Storage storage(Config gcs) {
        URI endpoint = BlobStores.endpoint(gcs.getString("endpoint").strip(), "gcs.endpoint", "WAVESTORE_GCS_ENDPOINT");
        String projectId = gcs.getString("project-id").strip();
        HttpStorageOptions.Builder options = StorageOptions.http()
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout(CONNECT_TIMEOUT_MILLIS)
                        .setReadTimeout(READ_TIMEOUT_MILLIS)
                        .build())
                .setRetrySettings(RetrySettings.newBuilder()
                        .setMaxAttempts(MAX_ATTEMPTS)
                        .setInitialRetryDelayDuration(gcs.getDuration("retry-delay"))
                        .setRetryDelayMultiplier(2.0)
                        .setMaxRetryDelayDuration(MAX_RETRY_DELAY)
                        .setTotalTimeoutDuration(TOTAL_TIMEOUT)
                        .build());
        if (endpoint != null) {
            options.setHost(endpoint.toString());
        }
        Credentials credentials = credentials(gcs);
        options.setCredentials(credentials);
        if (projectId.isEmpty() && credentials instanceof ServiceAccountCredentials account) {
            projectId = account.getProjectId();
        }
        if ((projectId == null || projectId.isEmpty()) && credentials == NoCredentials.getInstance()) {
            projectId = EMULATOR_PROJECT;
        }
        if (projectId != null && !projectId.isEmpty()) {
            options.setProjectId(projectId);
        }
        return options.build().getService();
    }

    private static Credentials credentials(Config gcs) {
        String file = gcs.getString("credentials-file").strip();
        if (gcs.getBoolean("anonymous")) {
            if (!file.isEmpty()) {
                throw new ConfigException.BadValue(key("gcs.anonymous"), "set either " + key("gcs.credentials-file")
                        + " or " + key("gcs.anonymous") + " = true (emulators only), not both");
            }
            return NoCredentials.getInstance();
        }
        if (file.isEmpty()) {
            try {
                return GoogleCredentials.getApplicationDefault();
            } catch (IOException e) {
                throw new IllegalStateException("No Google Cloud credentials: set " + key("gcs.credentials-file")
                        + " (env WAVESTORE_GCS_CREDENTIALS_FILE) to a service account's JSON key, or provide"
                        + " application default credentials (GOOGLE_APPLICATION_CREDENTIALS, workload identity): "
                        + e.getMessage(), e);
            }
        }
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new ConfigException.BadValue(key("gcs.credentials-file"), "not a path: " + e.getMessage());
        }
        try (InputStream in = Files.newInputStream(path)) {
            return ServiceAccountCredentials.fromStream(in);
        } catch (IOException e) {
            // The message never quotes the file's content (it holds a private key).
            throw new ConfigException.BadValue(key("gcs.credentials-file"), "cannot read a service account key from "
                    + path + " (env WAVESTORE_GCS_CREDENTIALS_FILE): " + e.getClass().getSimpleName());
        }
    }

    private static void checkBucket(Storage storage, String bucket, boolean create) {
        String where = "GCS bucket '" + bucket + "' at " + storage.getOptions().getHost();
        try {
            // Listing is what the store needs anyway (orphan collection); a bucket-level read may not be granted.
            storage.list(bucket, BlobListOption.pageSize(1), BlobListOption.currentDirectory());
            return;
        } catch (StorageException e) {
            if (e.getCode() != 404) {
                throw new IllegalStateException(where + ": " + refusal(e), e);
            }
        } catch (BaseServiceException | IllegalStateException e) {
            throw new IllegalStateException(unreachable(where, e), e);
        }
        if (!create) {
            throw new IllegalStateException(where + " does not exist (" + key("gcs.bucket")
                    + ", env WAVESTORE_GCS_BUCKET); create it, or set " + key("gcs.create-bucket")
                    + " = true (env WAVESTORE_GCS_CREATE_BUCKET)");
        }
        try {
            storage.create(BucketInfo.of(bucket));
        } catch (StorageException e) {
            if (e.getCode() != 409) { // 409: another replica created it at the same moment
                throw new IllegalStateException("Cannot create " + where + " (" + key("gcs.create-bucket") + "): "
                        + refusal(e), e);
            }
        }
    }

    private static String refusal(StorageException e) {
        if (causedByCredentials(e)) {
            return "the credentials were refused: " + firstLine(e.getMessage()) + "; check " + key("gcs.credentials-file")
                    + " (env WAVESTORE_GCS_CREDENTIALS_FILE) or the application default credentials";
        }
        if (e.getCode() == 401 || e.getCode() == 403) {
            return "access denied (HTTP " + e.getCode() + "); check " + key("gcs.credentials-file")
                    + " (env WAVESTORE_GCS_CREDENTIALS_FILE) or the application default credentials, and the"
                    + " account's role on the bucket";
        }
        if (e.getCode() == 0) {
            return "no answer: " + e.getMessage() + "; check " + key("gcs.endpoint") + " (env WAVESTORE_GCS_ENDPOINT)"
                    + " and the credentials";
        }
        return "HTTP " + e.getCode() + ": " + e.getMessage();
    }

    // The client could not get an access token (a revoked or deleted key, a wrong account): no HTTP status.
    private static boolean causedByCredentials(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            // google-auth's GoogleAuthException is not public: recognise it by its package.
            if (cause.getClass().getName().startsWith("com.google.auth.")) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String unreachable(String where, RuntimeException e) {
        return "Cannot reach " + where + " (" + key("gcs.endpoint") + ", env WAVESTORE_GCS_ENDPOINT): " + e.getMessage();
    }
}
