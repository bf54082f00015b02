package io.wavestore.catalog.blob;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Builds the configured {@link BlobStore} from the {@code wavestore.blob} block (see the catalog's
 * {@code reference.conf}) and checks that it is usable, so a misconfigured store fails at start
 * with a message naming the setting, not on the first upload.
 */
public final class BlobStores {

    /** Where {@code blobConfig} sits in the full configuration; used in error messages. */
    public static final String CONFIG_PATH = "wavestore.blob";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private BlobStores() {
    }

    /**
     * @param blobConfig the {@code wavestore.blob} block
     * @param dataDir    the store's data directory; the default home of filesystem blobs
     * @throws ConfigException       when a setting is missing or wrong
     * @throws IllegalStateException when the configured store cannot be reached or used
     */
    public static BlobStore create(Config blobConfig, Path dataDir) {
        String type = blobConfig.getString("type").strip().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "filesystem" -> filesystem(blobConfig, dataDir);
            case "s3" -> s3(blobConfig);
            case "azure" -> AzureBlobStores.create(blobConfig.getConfig("azure"));
            case "gcs" -> GcsBlobStores.create(blobConfig.getConfig("gcs"));
            default -> throw new ConfigException.BadValue(key("type"), "unknown blob store type '" + type
                    + "'; expected 'filesystem', 's3', 'azure' or 'gcs' (env WAVESTORE_BLOB_TYPE)");
        };
    }

    private static BlobStore filesystem(Config config, Path dataDir) {
        String configured = config.getString("filesystem.dir").strip();
        Path dir;
        try {
            dir = configured.isEmpty() ? dataDir.resolve("blobs") : Path.of(configured);
        } catch (InvalidPathException e) {
            throw new ConfigException.BadValue(key("filesystem.dir"), "not a path: " + e.getMessage());
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the blob directory " + dir + " (" + key("filesystem.dir")
                    + ", env WAVESTORE_BLOB_DIR): " + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("The blob directory " + dir + " is not writable (" + key("filesystem.dir")
                    + ", env WAVESTORE_BLOB_DIR)");
        }
        return new FilesystemBlobStore(dir);
    }

    private static BlobStore s3(Config config) {
        Config s3 = config.getConfig("s3");
        String bucket = requiredSetting(s3, "s3", "bucket", "an S3 bucket", "WAVESTORE_S3_BUCKET");
        String region = s3.getString("region").strip();
        if (region.isEmpty()) {
            throw new ConfigException.BadValue(key("s3.region"), "must not be empty (env WAVESTORE_S3_REGION)");
        }
        URI endpoint = endpoint(s3.getString("endpoint").strip(), "s3.endpoint", "WAVESTORE_S3_ENDPOINT");
        AwsCredentialsProvider credentials = credentials(s3.getString("access-key").strip(),
                s3.getString("secret-key").strip());

        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build())
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(s3.getBoolean("path-style"))
                // Send and check checksums only where the API requires them: many S3-compatible
                // services reject the SDK's newer default (chunked trailing checksums). Our PUTs
                // still carry their own SHA-256 checksum.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        S3Client client = builder.build();
        S3BlobStore store = new S3BlobStore(client, bucket, s3.getString("prefix"));
        try {
            checkBucket(client, bucket, region, endpoint, s3.getBoolean("create-bucket"));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return store;
    }

    /** The configured endpoint as an http(s) URL, or null when empty; {@code setting} is relative to the blob block. */
    static URI endpoint(String configured, String setting, String env) {
        if (configured.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(configured);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
                throw new ConfigException.BadValue(key(setting),
                        "expected an http:// or https:// URL, got '" + configured + "' (env " + env + ")");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException.BadValue(key(setting), "not a URL: " + e.getMessage() + " (env " + env + ")");
        }
    }

    private static AwsCredentialsProvider credentials(String accessKey, String secretKey) {
        if (accessKey.isEmpty() && secretKey.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            String missing = accessKey.isEmpty() ? "s3.access-key" : "s3.secret-key";
            throw new ConfigException.BadValue(key(missing), "set both " + key("s3.access-key") + " and "
                    + key("s3.secret-key") + " (env WAVESTORE_S3_ACCESS_KEY, WAVESTORE_S3_SECRET_KEY), or neither"
                    + " to use the default AWS credential chain");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    private static void checkBucket(S3Client client, String bucket, String region, URI endpoint, boolean create) {
        String where = endpoint == null ? "AWS region " + region : "endpoint " + endpoint;
        try {
            client.headBucket(b -> b.bucket(bucket));
            return;
        } catch (NoSuchBucketException e) {
            // handled below
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IllegalStateException(bucketFailure(bucket, where, e), e);
            }
        } catch (SdkClientException e) {
            throw new IllegalStateException(clientFailure(where, endpoint, e), e);
        } catch (SdkException e) {
            throw new IllegalStateException("S3 bucket '" + bucket + "' at " + where + " failed its check: "
                    + e.getMessage(), e);
        }
        if (!create) {
            throw new IllegalStateException("S3 bucket '" + bucket + "' does not exist at " + where + " ("
                    + key("s3.bucket") + ", env WAVESTORE_S3_BUCKET); create it, or set " + key("s3.create-bucket")
                    + " = true (env WAVESTORE_S3_CREATE_BUCKET)");
        }
        try {
            client.createBucket(b -> {
                b.bucket(bucket);
                // us-east-1 is the one region that must not be named as a location constraint.
                if (!region.equals("us-east-1")) {
                    b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region)));
                }
            });
        } catch (S3Exception e) {
            // Another replica may have created it at the same moment.
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (!"BucketAlreadyOwnedByYou".equals(code)) {
                throw new IllegalStateException("Cannot create S3 bucket '" + bucket + "' at " + where + " ("
                        + key("s3.create-bucket") + "): " + e.getMessage(), e);
            }
        } catch (SdkException e) {
            throw new IllegalStateException("Cannot create S3 bucket '" + bucket + "' at " + where + " ("
                    + key("s3.create-bucket") + "): " + e.getMessage(), e);
        }
    }

    private static String bucketFailure(String bucket, String where, S3Exception e) {
        String problem = switch (e.statusCode()) {
            case 401, 403 -> "access denied; check " + key("s3.access-key") + " and " + key("s3.secret-key")
                    + " (env WAVESTORE_S3_ACCESS_KEY, WAVESTORE_S3_SECRET_KEY) or the default AWS credential chain";
            case 301, 400 -> "the request was refused (HTTP " + e.statusCode() + "); check " + key("s3.region")
                    + " (env WAVESTORE_S3_REGION) and " + key("s3.path-style") + " (env WAVESTORE_S3_PATH_STYLE)";
            default -> "HTTP " + e.statusCode() + ": " + e.getMessage();
        };
        return "S3 bucket '" + bucket + "' at " + where + " (" + key("s3.bucket") + "): " + problem;
    }

    private static String clientFailure(String where, URI endpoint, SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("credentials")) {
            return "No S3 credentials for " + where + ": set " + key("s3.access-key") + " and " + key("s3.secret-key")
                    + " (env WAVESTORE_S3_ACCESS_KEY, WAVESTORE_S3_SECRET_KEY) or configure the default AWS credential"
                    + " chain: " + message;
        }
        String setting = endpoint == null ? key("s3.region") + " (env WAVESTORE_S3_REGION)"
                : key("s3.endpoint") + " (env WAVESTORE_S3_ENDPOINT)";
        return "Cannot reach S3 at " + where + " (" + setting + "): " + message;
    }

    static String key(String relative) {
        return CONFIG_PATH + "." + relative;
    }

    /**
     * The setting {@code name} of the {@code type} block {@code section}, stripped; when it is empty, a ConfigException
     * that names the setting, {@code what} it is ("an S3 bucket") and its environment variable {@code env}.
     */
    static String requiredSetting(Config section, String type, String name, String what, String env) {
        String value = section.getString(name).strip();
        if (value.isEmpty()) {
            throw new ConfigException.BadValue(key(type + "." + name),
                    what + " is required when " + key("type") + " = " + type + " (env " + env + ")");
        }
        return value;
    }
}
