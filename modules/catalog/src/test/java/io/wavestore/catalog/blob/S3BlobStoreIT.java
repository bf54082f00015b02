package io.wavestore.catalog.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.wavestore.testkit.S3Server;
import io.wavestore.testkit.ServerPerClass;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The blob store contract against a real S3 endpoint (s3proxy), one fresh bucket per test. */
class S3BlobStoreIT extends BlobStoreContract {

    @RegisterExtension
    static final ServerPerClass<S3Server> SERVER = new ServerPerClass<>(S3Server::start);

    static S3Client client() {
        return client(SERVER.get());
    }

    static S3Client client(S3Server target) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(target.endpoint())
                .region(Region.of(target.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(target.accessKey(), target.secretKey())))
                .forcePathStyle(true)
                .build();
    }

    private S3BlobStore store(String prefix) {
        String bucket = SERVER.get().createBucket("blobs-" + UUID.randomUUID().toString().substring(0, 8));
        S3BlobStore store = new S3BlobStore(client(), bucket, prefix);
        return closedAfterTest(store);
    }

    @Override
    protected BlobStore store() {
        return store("wavestore/");
    }

    @ParameterizedTest(name = "prefix \"{0}\": {1}<digest>")
    @CsvSource({"apps, apps/sha256/", "'', sha256/"}) // an empty prefix puts the blobs at the top
    void keysArePrefixSha256Digest(String prefix, String keyBeforeDigest) throws IOException {
        S3BlobStore store = store(prefix);
        store.put(Files.writeString(files.resolve("hello.txt"), "hello"));

        try (S3Client s3 = client()) {
            assertThat(s3.listObjectsV2(b -> b.bucket(store.bucket())).contents())
                    .extracting(S3Object::key)
                    .containsExactly(keyBeforeDigest + HELLO_SHA256);
        }
    }

    @Test
    void otherObjectsInTheBucketAreNotBlobs() throws IOException {
        S3BlobStore store = store("wavestore/");
        store.put(Files.writeString(files.resolve("hello.txt"), "hello"));
        try (S3Client s3 = client()) {
            s3.putObject(b -> b.bucket(store.bucket()).key("wavestore/sha256/readme.txt"), RequestBody.fromString("x"));
            s3.putObject(b -> b.bucket(store.bucket()).key("other/sha256/" + "ab".repeat(32)), RequestBody.fromString("x"));
            s3.putObject(b -> b.bucket(store.bucket()).key("sha256/" + "cd".repeat(32)), RequestBody.fromString("x"));
        }

        assertThat(store.list()).extracting(BlobInfo::digest).containsExactly(HELLO_SHA256);
    }

    @Test
    void describeNamesBucketPrefixAndEndpoint() {
        S3BlobStore store = store("wavestore");
        assertThat(store.describe())
                .contains("s3://" + store.bucket() + "/wavestore/")
                .contains(SERVER.get().endpoint().toString())
                .doesNotContain(SERVER.get().secretKey());
    }

    @Test
    void prefixIsNormalised() {
        assertThat(S3BlobStore.normalizePrefix("")).isEmpty();
        assertThat(S3BlobStore.normalizePrefix(null)).isEmpty();
        assertThat(S3BlobStore.normalizePrefix("a")).isEqualTo("a/");
        assertThat(S3BlobStore.normalizePrefix("/a/b/")).isEqualTo("a/b/");
    }

    @Test
    void putIsReadableByAnyS3Client() throws IOException {
        S3BlobStore store = store("");
        Path hello = Files.writeString(files.resolve("hello.txt"), "hello");
        store.put(hello);
        try (S3Client s3 = client()) {
            var response = s3.headObject(b -> b.bucket(store.bucket()).key("sha256/" + HELLO_SHA256)
                    .checksumMode("ENABLED"));
            assertThat(response.contentLength()).isEqualTo(5);
        }
    }
}
