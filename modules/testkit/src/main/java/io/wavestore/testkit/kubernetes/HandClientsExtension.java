package io.wavestore.testkit.kubernetes;

import io.wavestore.testkit.RepositoryScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;

/**
 * Gives a test class the {@code helm} CLI and {@code kubectl} ({@link HandClients}), built by
 * {@code modules/testkit/clients/build.sh}; the class is skipped, saying how to build them, when they are not built.
 * Use it with {@link KubernetesExtension}, whose {@link TestNamespace} the clients are pointed at:
 *
 * <pre>{@code
 * @ExtendWith({KubernetesExtension.class, HandClientsExtension.class})
 * class SomethingIT {
 *     @Test
 *     void byHand(TestNamespace namespace, HandClients clients) { clients.kubectl(namespace, "get", "pods").orFail(); }
 * }
 * }</pre>
 */
public final class HandClientsExtension extends TypeBasedParameterResolver<HandClients>
        implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(HandClientsExtension.class);
    private static final String CLIENTS = "clients";

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        StringBuilder whyNot = new StringBuilder();
        Path home = Files.createTempDirectory("wavestore-helm-home");
        HandClients clients = HandClients.find(home, whyNot).orElse(null);
        if (clients == null) {
            RepositoryScripts.deleteRecursively(home);
        }
        Assumptions.assumeTrue(clients != null, () -> "no helm and kubectl for this test: " + whyNot);
        context.getStore(STORE).put(CLIENTS, clients);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        HandClients clients = context.getStore(STORE).remove(CLIENTS, HandClients.class);
        if (clients != null) {
            RepositoryScripts.deleteRecursively(clients.home());
        }
    }

    @Override
    public HandClients resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(STORE).get(CLIENTS, HandClients.class);
    }
}
