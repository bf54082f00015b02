package io.wavestore.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Azure Blob Storage endpoint for tests: Azurite's blob service (npm {@code azurite}, installed by
 * {@code modules/testkit/blob-servers/build.sh azurite}) on 127.0.0.1 and a free port, its blobs in a temp
 * directory, shared-key authentication required with Azurite's well-known development account. Telemetry is
 * off. {@link #close()} stops it and deletes the directory.
 */
public final class AzuriteServer implements BlobServer {

    public static final String PROPERTY = "wavestore.azurite.bin";
    public static final String ENVIRONMENT = "WAVESTORE_AZURITE_BIN";
    private static final String EXECUTABLE = "azurite-blob";
    // Azurite's built-in development account (documented by Microsoft; it guards nothing but test data).
    private static final String ACCOUNT_NAME = "devstoreaccount1";
    private static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Pattern LISTENING = Pattern.compile("listens on (http://127\\.0\\.0\\.1:\\d+)");

    private final ServerProcess process;
    private final URI endpoint;

    private AzuriteServer(ServerProcess process, URI serviceUrl) {
        this.process = process;
        this.endpoint = URI.create(serviceUrl + "/" + ACCOUNT_NAME);
    }

    public static AzuriteServer start() {
        Path bin = BlobServerBinaries.locate("azurite", PROPERTY, ENVIRONMENT, EXECUTABLE);
        var started = ServerProcess.start("azurite", List.of(
                bin.resolve(EXECUTABLE).toString(),
                "--blobHost", "127.0.0.1",
                "--blobPort", "0",
                "--location", "{dir}",
                "--disableTelemetry",
                // the SDK may speak a newer service version than this Azurite knows; the calls we make are old
                "--skipApiVersionCheck"), line -> {
                    Matcher matcher = LISTENING.matcher(line);
                    return matcher.find() ? URI.create(matcher.group(1)) : null;
                });
        return new AzuriteServer(started.process(), started.address());
    }

    /** The account's Blob service URL, {@code http://127.0.0.1:<port>/devstoreaccount1} (path-style, as Azurite wants). */
    public URI endpoint() {
        return endpoint;
    }

    public String accountName() {
        return ACCOUNT_NAME;
    }

    public String accountKey() {
        return ACCOUNT_KEY;
    }

    /**
     * The store's settings ({@code wavestore.blob.*}) that keep its blobs in {@code container} on this server, with
     * the account's name and key; with {@code create}, the store creates the container.
     */
    @Override
    public Map<String, Object> blobSettings(String container, boolean create) {
        return StoreBlobSettings.of("azure", "endpoint", endpoint.toString(), "container", container,
                "account-name", ACCOUNT_NAME, "account-key", ACCOUNT_KEY, "create-container", create);
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + endpoint + ";";
    }

    /** What Azurite logged so far (its access log: one line per request). */
    public String log() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
