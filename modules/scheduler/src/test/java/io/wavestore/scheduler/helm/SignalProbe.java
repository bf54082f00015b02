package io.wavestore.scheduler.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for {@link HelmSignalsIT}: runs a Helm install (a client-only dry run: the signal handling happens
 * all the same), gives the signals back or not (first argument "restore"), says "ready", and waits to be stopped.
 */
public final class SignalProbe {

    private SignalProbe() {
    }

    public static void main(String[] args) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        try (ChartSource chart = ChartSource.extracted()) {
            Path values = Files.createTempFile("probe-", ".json");
            try {
                new ObjectMapper().writeValue(values.toFile(), InstanceValues.of(TestSpecs.spec("i-probe"), ChartSettings.defaults()));
                new Helm(chart.dir()).install().withName("i-probe").withNamespace("probe").clientOnly().dryRun()
                        .withValuesFile(values).call();
            } finally {
                Files.delete(values);
            }
        }
        if (args.length > 0 && args[0].equals("restore")) {
            JvmSignals.restore();
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
        System.out.println("never stopped");
    }
}
