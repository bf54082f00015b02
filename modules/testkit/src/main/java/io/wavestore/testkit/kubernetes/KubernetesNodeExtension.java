package io.wavestore.testkit.kubernetes;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.support.TypeBasedParameterResolver;

/**
 * Adds a real node ({@link KubernetesNode}: containerd, kubelet, kube-proxy, CoreDNS) to the control plane of
 * {@link KubernetesExtension}, once per test class; the kwok nodes are cordoned, so the class's pods run for real.
 * Register it after that extension, and name the images to import with {@link Images}:
 *
 * <pre>{@code
 * @ExtendWith({KubernetesExtension.class, KubernetesNodeExtension.class})
 * @KubernetesNodeExtension.Images("instance")
 * class SomethingIT {
 *     @Test
 *     void runs(TestNamespace namespace, KubernetesNode node) { ... }
 * }
 * }</pre>
 */
public final class KubernetesNodeExtension extends TypeBasedParameterResolver<KubernetesNode>
        implements BeforeAllCallback, AfterAllCallback {

    /** The images of {@code docker/build.sh} to import into the node's runtime: "instance", "store". */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Images {
        String[] value();
    }

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubernetesNodeExtension.class);
    private static final String NODE = "node";

    /** Set to {@code skip} by a CI run that had no time left to build the node and the images (see .ci/run). */
    static final String SKIP_ENVIRONMENT = "WAVESTORE_REAL_NODE";

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeFalse("skip".equals(System.getenv(SKIP_ENVIRONMENT)), SKIP_ENVIRONMENT
                + "=skip: this CI run built the control plane from cold and left the real node for the next run");
        ExtensionContext.Store store = context.getStore(STORE);
        if (store.get(NODE, KubernetesNode.class) == null) {
            List<Path> images = context.getTestClass()
                    .map(c -> c.getAnnotation(Images.class))
                    .map(a -> Arrays.stream(a.value()).map(NodeArtifacts::image).toList())
                    .orElse(List.of());
            store.put(NODE, KubernetesNode.start(KubernetesExtension.controlPlane(context), images));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KubernetesNode node = context.getStore(STORE).remove(NODE, KubernetesNode.class);
        if (node != null) {
            if (context.getExecutionException().isPresent()) {
                System.err.println(node.logTails(40));
            }
            node.close();
        }
    }

    @Override
    public KubernetesNode resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(STORE).get(NODE, KubernetesNode.class);
    }
}
