package io.wavestore.testkit.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link KubernetesControlPlane} per test class and gives each test a fresh namespace.
 *
 * <p>Use {@code @ExtendWith(KubernetesExtension.class)} and take parameters of these types:
 * <ul>
 *   <li>{@link TestNamespace}: the test's namespace, with a client and a kubeconfig for it;</li>
 *   <li>{@link KubernetesClient}: a client whose default namespace is the test's (in a test, {@code @BeforeEach}
 *       or {@code @AfterEach}), or "default" (in {@code @BeforeAll}/{@code @AfterAll});</li>
 *   <li>{@link KubernetesControlPlane}: the class's control plane.</li>
 * </ul>
 * When a test fails, the namespace's pods and events and the tail of each process's log are printed to stderr
 * before the namespace is deleted.
 */
public final class KubernetesExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(KubernetesExtension.class);
    private static final String CONTROL_PLANE = "controlPlane";
    private static final String CLASS_CLIENT = "classClient";
    private static final String TEST_NAMESPACE = "testNamespace";

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(STORE);
        // A @Nested class shares its enclosing class's control plane.
        if (store.get(CONTROL_PLANE, KubernetesControlPlane.class) == null) {
            store.put(CONTROL_PLANE, KubernetesControlPlane.builder().start());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(STORE);
        KubernetesClient client = store.remove(CLASS_CLIENT, KubernetesClient.class);
        if (client != null) {
            client.close();
        }
        // remove() only finds the value in this class's own store, so a @Nested class leaves its parent's alone.
        KubernetesControlPlane controlPlane = store.remove(CONTROL_PLANE, KubernetesControlPlane.class);
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws InterruptedException {
        KubernetesControlPlane controlPlane = controlPlane(context);
        String name = namespaceName(context);
        KubernetesClient client = controlPlane.newClient(name);
        try {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                    .addToLabels("wavestore.io/test", "true").endMetadata().build()).create();
            // Pods are refused until the controller manager has made the namespace's default ServiceAccount.
            Awaitility.await("the default ServiceAccount in namespace " + name).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        context.getStore(STORE).put(TEST_NAMESPACE, new TestNamespace(name, client, controlPlane.kubeconfigFor(name)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestNamespace namespace = context.getStore(STORE).remove(TEST_NAMESPACE, TestNamespace.class);
        if (namespace == null) {
            return;
        }
        try (KubernetesClient client = namespace.client()) {
            if (context.getExecutionException().isPresent()) {
                System.err.println(diagnostics(controlPlane(context), namespace));
            }
            client.namespaces().withName(namespace.name()).delete();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestNamespace.class || type == KubernetesClient.class || type == KubernetesControlPlane.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == KubernetesControlPlane.class) {
            return controlPlane(context);
        }
        TestNamespace namespace = context.getTestMethod().isPresent()
                ? context.getStore(STORE).get(TEST_NAMESPACE, TestNamespace.class)
                : null;
        if (type == TestNamespace.class) {
            if (namespace == null) {
                throw new ParameterResolutionException("A TestNamespace exists only for a test method: " + parameter);
            }
            return namespace;
        }
        if (namespace != null) {
            return namespace.client();
        }
        KubernetesControlPlane controlPlane = controlPlane(context);
        return context.getStore(STORE).getOrComputeIfAbsent(CLASS_CLIENT, key -> controlPlane.newClient(),
                KubernetesClient.class);
    }

    static KubernetesControlPlane controlPlane(ExtensionContext context) {
        KubernetesControlPlane controlPlane = context.getStore(STORE).get(CONTROL_PLANE, KubernetesControlPlane.class);
        if (controlPlane == null) {
            throw new IllegalStateException("KubernetesExtension must be registered on the test class");
        }
        return controlPlane;
    }

    /** "t-" + class and method, in the 63 characters a namespace name may have, made unique by a suffix. */
    static String namespaceName(ExtensionContext context) {
        String base = context.getRequiredTestClass().getSimpleName() + "-"
                + context.getTestMethod().map(m -> m.getName()).orElse("test");
        String cleaned = base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36), 36);
        int room = 63 - 2 - 1 - suffix.length();
        if (cleaned.length() > room) {
            cleaned = cleaned.substring(0, room).replaceAll("-+$", "");
        }
        return "t-" + cleaned + "-" + suffix;
    }

    private static String describe(ContainerStatus status) {
        ContainerState state = status.getState();
        String now = state == null ? "unknown"
                : state.getRunning() != null ? "running"
                : state.getWaiting() != null ? "waiting " + state.getWaiting().getReason()
                : state.getTerminated() != null ? "terminated " + state.getTerminated().getReason()
                : "unknown";
        return status.getName() + ": " + now + ", ready=" + status.getReady() + ", restarts=" + status.getRestartCount();
    }

    /** Core events carry lastTimestamp; those written through events.k8s.io only eventTime. */
    private static String when(Event event) {
        if (event.getLastTimestamp() != null) {
            return event.getLastTimestamp();
        }
        if (event.getEventTime() != null && event.getEventTime().getTime() != null) {
            return event.getEventTime().getTime();
        }
        return String.valueOf(event.getMetadata().getCreationTimestamp());
    }

    private static String diagnostics(KubernetesControlPlane controlPlane, TestNamespace namespace) {
        StringBuilder out = new StringBuilder("===== Kubernetes state of the failed test, namespace ")
                .append(namespace.name()).append(" =====\n");
        try {
            for (Pod pod : namespace.client().pods().list().getItems()) {
                out.append("pod ").append(pod.getMetadata().getName()).append(" node=").append(pod.getSpec().getNodeName())
                        .append(" phase=").append(pod.getStatus().getPhase())
                        .append(" labels=").append(pod.getMetadata().getLabels())
                        .append(" conditions=").append(pod.getStatus().getConditions().stream()
                                .map(c -> c.getType() + "=" + c.getStatus()).toList())
                        .append(" containers=").append(pod.getStatus().getContainerStatuses().stream()
                                .map(KubernetesExtension::describe).toList())
                        .append('\n');
            }
            namespace.client().v1().events().list().getItems().stream()
                    .sorted(Comparator.comparing(KubernetesExtension::when))
                    .forEach(e -> out.append("event ").append(e.getType()).append(' ').append(e.getReason()).append(' ')
                            .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName())
                            .append(": ").append(e.getMessage()).append('\n'));
        } catch (RuntimeException e) {
            out.append("(cannot list pods and events: ").append(e).append(")\n");
        }
        return out.append(controlPlane.logTails(30)).toString();
    }
}
