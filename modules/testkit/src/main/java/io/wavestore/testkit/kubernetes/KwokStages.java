package io.wavestore.testkit.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The kwok Stages the test control plane plays, shipped as resources beside this class in {@code stages/}.
 *
 * <p>By default fake Nodes become Ready at once and keep a heartbeat, and every pod bound to one becomes Running
 * and Ready; Job pods then succeed; a deleted pod goes away at once. A pod carrying the label
 * {@value #FAULT_LABEL} gets a fault instead, chosen by the label's value:
 * <ul>
 *   <li>{@value #CRASH_LOOP}: Running, not Ready, restarts rising, waiting reason {@code CrashLoopBackOff};</li>
 *   <li>{@value #IMAGE_PULL_BACKOFF}: Pending, waiting reason {@code ImagePullBackOff};</li>
 *   <li>{@value #NOT_READY}: Running, containers running, Ready False.</li>
 * </ul>
 * Put the label on a pod template (through a chart's values, say) to start with the fault, or on a running pod
 * to inject it later.
 */
public final class KwokStages {

    /** The pod label that asks for a fault; its value names which. */
    public static final String FAULT_LABEL = "kwok.wavestore.io/fault";
    public static final String CRASH_LOOP = "crash-loop";
    public static final String IMAGE_PULL_BACKOFF = "image-pull-backoff";
    public static final String NOT_READY = "not-ready";
    /** Pod annotation: the time between two crashes of a crash-looping pod, a Go duration ("1s" by default). */
    public static final String RESTART_DELAY_ANNOTATION = "kwok.wavestore.io/restart-delay";
    /** Pod annotation: the exit code a crash-looping pod's containers report (1 by default). */
    public static final String EXIT_CODE_ANNOTATION = "kwok.wavestore.io/exit-code";

    /** Every stage file, in the order they are given to kwok. */
    public static final List<String> DEFAULT = List.of(
            "node-initialize.yaml",
            "node-heartbeat.yaml",
            "pod-ready.yaml",
            "pod-complete.yaml",
            "pod-delete.yaml",
            "pod-fault-crash-loop.yaml",
            "pod-fault-image-pull-backoff.yaml",
            "pod-fault-not-ready.yaml");

    private KwokStages() {
    }

    /** The YAML of one shipped stage file. */
    public static String read(String fileName) {
        String resource = "stages/" + fileName;
        try (InputStream in = KwokStages.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no kwok stage resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
