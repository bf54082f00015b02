package io.wavestore.server;

import io.wavestore.testkit.TestDatabase;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * A test store on the local runtime, on a port of its own that it keeps across {@link #restart()}s (a restarted store
 * adopts its launchers), closed leaving no launcher running ({@link LocalLaunchers}). Meant for a test's
 * {@code @AutoClose} field.
 */
final class LocalTestStore implements AutoCloseable {

    private final Path dataDir;
    private final int port = TestStoreConfig.freePort();
    private final TestDatabase database;
    private final Map<String, Object> settings;
    private final StoreClient client;
    private Wavestore store;

    private LocalTestStore(Path dataDir, TestDatabase database, Map<String, Object> settings) throws Exception {
        this.dataDir = dataDir;
        this.database = database;
        this.settings = settings;
        this.client = new StoreClient(url());
        this.store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, settings));
    }

    /** A store keeping its data in {@code dataDir}, with {@code settings} over the local test defaults. */
    static LocalTestStore start(Path dataDir, TestDatabase database, Map<String, Object> settings) throws Exception {
        return new LocalTestStore(dataDir, database, settings);
    }

    /** The store's API, as the development identity's default user. */
    StoreClient client() {
        return client;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The apps' origin, where the router serves instances. */
    URI apps() {
        return TestStoreConfig.appsOrigin(url());
    }

    /** Stops the store and starts it again on the same port and data, as after a crash or an upgrade. */
    void restart() throws Exception {
        store.close();
        store = Wavestore.start(TestStoreConfig.local(dataDir, port, database, settings));
    }

    @Override
    public void close() throws Exception {
        LocalLaunchers.terminateAllAndClose(store, client, dataDir);
    }
}
