package io.wavestore.server;

import com.typesafe.config.ConfigFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one replica of the store with the configuration from application.conf and the environment. */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        try {
            // The process ends when the store does (SIGTERM runs coordinated shutdown: readiness fails, HTTP drains, the
            // replica leaves the cluster so its shards move; then the JVM exits). Not for stores started in tests.
            Wavestore store = Wavestore.start(ConfigFactory.parseString("pekko.coordinated-shutdown.exit-jvm = on")
                    .withFallback(ConfigFactory.load()));
            store.system().getWhenTerminated().toCompletableFuture().join();
        } catch (Exception e) {
            LOG.error("Wavestore could not start: {}", rootMessage(e));
            System.exit(1);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder message = new StringBuilder(String.valueOf(t.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            message.append(": ").append(t.getMessage());
        }
        return message.toString();
    }
}
