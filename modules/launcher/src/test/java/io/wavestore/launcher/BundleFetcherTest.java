package io.wavestore.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleFetcherTest {
    private static final byte[] BUNDLE = "not really a zip, but bytes are bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private final BundleFetcher fetcher = new BundleFetcher(HttpClient.newHttpClient());

    @Test
    void aLocalBundleIsCopiedAndItsDigestChecked() throws Exception {
        Path source = Files.write(tmp.resolve("app.wave"), BUNDLE);
        String sha = Digests.sha256(BUNDLE);
        BundleFetcher.Fetched fetched = fetcher.fetch(new LauncherConfig.BundleSource.File(source), Optional.empty(),
                Optional.of(sha), tmp.resolve("copy.wave"));
        assertThat(fetched.sha256()).isEqualTo(sha);
        assertThat(fetched.file()).hasBinaryContent(BUNDLE);
    }

    @Test
    void aDigestMismatchIsRefusedNamingBothDigests() throws Exception {
        Path source = Files.write(tmp.resolve("app.wave"), BUNDLE);
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> fetcher.fetch(new LauncherConfig.BundleSource.File(source), Optional.empty(),
                Optional.of(wrong), tmp.resolve("copy.wave")))
                .isInstanceOf(LaunchFailure.class)
                .hasMessageContaining(Digests.sha256(BUNDLE)).hasMessageContaining(wrong);
    }

    @Test
    void aMissingLocalBundleSaysSo() {
        assertThatThrownBy(() -> fetcher.fetch(new LauncherConfig.BundleSource.File(tmp.resolve("nope.wave")),
                Optional.empty(), Optional.empty(), tmp.resolve("copy.wave")))
                .isInstanceOf(LaunchFailure.class).hasMessageContaining("does not exist");
    }

    @Test
    void downloadsSendTheTokenAndRetryServerErrorsButNotRefusals() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle", exchange -> {
            int n = calls.incrementAndGet();
            boolean authorized = "Bearer good".equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = !authorized ? "{\"detail\":\"wrong credential\"}".getBytes(StandardCharsets.UTF_8)
                    : n == 1 ? new byte[0] : BUNDLE;
            exchange.sendResponseHeaders(!authorized ? 401 : n == 1 ? 503 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/bundle");
            BundleFetcher.Fetched fetched = fetcher.fetch(new LauncherConfig.BundleSource.Url(uri), Optional.of("good"),
                    Optional.of(Digests.sha256(BUNDLE)), tmp.resolve("a.wave"));
            assertThat(fetched.file()).hasBinaryContent(BUNDLE);
            assertThat(calls).as("one 503, then the bundle").hasValue(2);

            calls.set(10);
            assertThatThrownBy(() -> fetcher.fetch(new LauncherConfig.BundleSource.Url(uri), Optional.of("bad"),
                    Optional.of(Digests.sha256(BUNDLE)), tmp.resolve("b.wave")))
                    .isInstanceOf(LaunchFailure.class).hasMessageContaining("HTTP 401")
                    .hasMessageContaining("wrong credential").hasMessageNotContaining("bad");
            assertThat(calls).as("a refusal is not retried").hasValue(11);
        } finally {
            server.stop(0);
        }
    }
}
