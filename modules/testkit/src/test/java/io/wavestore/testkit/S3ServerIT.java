package io.wavestore.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class S3ServerIT {

    private static S3Server server;

    @BeforeAll
    static void start() {
        server = S3Server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static S3Client client(String accessKey, String secretKey) {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                .build();
    }

    @Test
    void storesAndReturnsObjectsWithTheSdk() {
        server.createBucket("roundtrip");
        try (S3Client s3 = client(server.accessKey(), server.secretKey())) {
            s3.putObject(b -> b.bucket("roundtrip").key("a/b.txt"), RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(b -> b.bucket("roundtrip").key("a/b.txt")).asString(StandardCharsets.UTF_8))
                    .isEqualTo("hello");
            assertThat(s3.listObjectsV2(b -> b.bucket("roundtrip")).contents())
                    .extracting(o -> o.key()).containsExactly("a/b.txt");
            assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains("roundtrip");
        }
    }

    @Test
    void refusesWrongSecret() {
        server.createBucket("guarded");
        try (S3Client s3 = client(server.accessKey(), "wrong-secret")) {
            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("guarded")))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void listensOnLoopbackAndCloseDeletesItsDirectory() throws Exception {
        assertThat(server.endpoint().getHost()).isEqualTo("127.0.0.1");
        Path before;
        try (S3Server other = S3Server.start()) {
            other.createBucket("temporary");
            assertThat(other.endpoint().getPort()).isNotEqualTo(server.endpoint().getPort());
            before = Files.list(Path.of(System.getProperty("java.io.tmpdir")))
                    .filter(p -> p.getFileName().toString().startsWith("wavestore-s3-"))
                    .filter(p -> Files.isDirectory(p.resolve("temporary")))
                    .findFirst().orElseThrow();
        }
        assertThat(before).doesNotExist();
    }
}
