package io.wavestore.testkit;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one test server for a test class and closes it after the class's last test, so each test class does not
 * write its own {@code @BeforeAll}/{@code @AfterAll} pair:
 * {@code @RegisterExtension static final ServerPerClass<S3Server> S3 = new ServerPerClass<>(S3Server::start);}.
 */
public final class ServerPerClass<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<T> start;
    private T server;

    public ServerPerClass(Supplier<T> start) {
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = start.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server; only between the class's {@code beforeAll} and {@code afterAll}. */
    public T get() {
        if (server == null) {
            throw new IllegalStateException("The server runs only while its test class runs (register it static)");
        }
        return server;
    }
}
