package io.wavestore.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * Brings the bundle to a private file and proves it is the one the store meant: the SHA-256 of exactly the
 * bytes that will be unpacked must equal {@code WAVESTORE_BUNDLE_SHA256}. A local bundle file is copied too,
 * while hashing, so nothing can change it between the check and the unpacking.
 */
final class BundleFetcher {
    /** The store must start answering within this; the body itself may take as long as it takes. */
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long[] RETRY_DELAYS_MS = {1_000, 2_000, 4_000};

    /** The fetched bundle and its SHA-256. */
    record Fetched(Path file, String sha256) {}

    private final HttpClient client;

    BundleFetcher(HttpClient client) {
        this.client = client;
    }

    /** Fetches into {@code target} (created or replaced) and checks the digest when one is expected. */
    Fetched fetch(LauncherConfig.BundleSource source, Optional<String> token, Optional<String> expectedSha256,
                  Path target) throws LaunchFailure, InterruptedException {
        String actual;
        if (source instanceof LauncherConfig.BundleSource.File file) {
            actual = copyLocal(file.path(), target);
        } else {
            actual = download(((LauncherConfig.BundleSource.Url) source).uri(), token.orElseThrow(), target);
        }
        if (expectedSha256.isPresent() && !expectedSha256.get().equals(actual)) {
            throw new LaunchFailure("the bundle's SHA-256 is " + actual + ", but the store promised "
                    + expectedSha256.get() + "; refusing to run a bundle that is not the one uploaded");
        }
        return new Fetched(target, actual);
    }

    private static String copyLocal(Path source, Path target) throws LaunchFailure {
        MessageDigest digest = Digests.sha256();
        try (InputStream in = Files.newInputStream(source);
             OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            in.transferTo(out);
        } catch (NoSuchFileException e) {
            throw new LaunchFailure("the bundle file " + source + " does not exist");
        } catch (IOException e) {
            throw new LaunchFailure("could not read the bundle file " + source + ": " + e.getMessage(), e);
        }
        return Digests.hex(digest);
    }

    private String download(URI uri, String token, Path target) throws LaunchFailure, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/zip, */*").GET().build();
        for (int attempt = 0; ; attempt++) {
            String problem;
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 200) {
                    return save(response.body(), target);
                }
                String detail = excerpt(response.body());
                problem = "the store answered HTTP " + status + (detail.isEmpty() ? "" : " (" + detail + ")");
                if (status == 401 || status == 403) {
                    throw new LaunchFailure("the store refused this instance's credential for the bundle: " + problem);
                }
                if (status / 100 == 4 && status != 408 && status != 429) {
                    throw new LaunchFailure("could not download the bundle from " + uri + ": " + problem);
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt >= RETRY_DELAYS_MS.length) {
                throw new LaunchFailure("could not download the bundle from " + uri + " after " + (attempt + 1)
                        + " attempts: " + problem);
            }
            Log.info("downloading the bundle failed (" + problem + "); retrying");
            Thread.sleep(RETRY_DELAYS_MS[attempt]);
        }
    }

    private static String save(InputStream body, Path target) throws IOException {
        MessageDigest digest = Digests.sha256();
        try (InputStream in = body; OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            in.transferTo(out);
        }
        return Digests.hex(digest);
    }

    /** The start of an error body, on one line: a problem+json detail is what helps most. */
    private static String excerpt(InputStream body) {
        try (InputStream in = body) {
            String text = new String(in.readNBytes(300), StandardCharsets.UTF_8);
            return text.replaceAll("\\s+", " ").strip();
        } catch (IOException e) {
            return "";
        }
    }
}
