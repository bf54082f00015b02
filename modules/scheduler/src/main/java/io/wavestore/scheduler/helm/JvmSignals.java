package io.wavestore.scheduler.helm;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives SIGTERM and SIGINT back to the JVM after Helm took them.
 *
 * <p>helm-java runs Helm in-process, and its install calls Go's {@code signal.Notify} for SIGINT, SIGTERM and
 * SIGQUIT (to cancel an install on Ctrl-C). In a shared library that replaces the JVM's handlers for good: from the
 * first install on, SIGTERM no longer runs the JVM's shutdown hooks, so a store pod that Kubernetes stops would
 * ignore the signal (no graceful leave of the cluster, no unbind) until it is killed. Measured with helm-java 0.0.21:
 * see {@code HelmSignalsIT}. After each install this installs again what the JVM does by default for these two
 * signals, exit with 128 + the signal's number, which runs the shutdown hooks. SIGQUIT (thread dumps) is reserved
 * by the JVM and cannot be given back this way.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, meant for exactly this) is used through reflection so that the
 * build has no warnings about internal APIs.
 */
final class JvmSignals {

    private static final Logger LOG = LoggerFactory.getLogger(JvmSignals.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private JvmSignals() {
    }

    /** Makes SIGTERM and SIGINT end the JVM through its shutdown hooks again. Never throws. */
    static void restore() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method number = signalClass.getMethod("getNumber");
            InvocationHandler exit = (proxy, method, args) -> {
                if (method.getName().equals("handle") && args != null && args.length == 1) {
                    System.exit(128 + (int) number.invoke(args[0]));
                    return null;
                }
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "exit with 128 + the signal's number";
                    default -> null;
                };
            };
            Object handler = Proxy.newProxyInstance(JvmSignals.class.getClassLoader(), new Class<?>[] {handlerClass}, exit);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            for (String name : SIGNALS) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                handle.invoke(null, signal, handler);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.warn("Cannot give SIGTERM and SIGINT back to the JVM after Helm took them; a stop signal may be ignored: {}",
                    e.toString());
        }
    }
}
