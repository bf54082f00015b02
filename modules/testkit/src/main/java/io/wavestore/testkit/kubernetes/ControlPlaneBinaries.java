package io.wavestore.testkit.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.wavestore.testkit.RepositoryScripts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the directory holding etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok, as built
 * by {@code modules/testkit/control-plane/build.sh}. In order:
 * <ol>
 *   <li>the system property {@value #PROPERTY};</li>
 *   <li>the environment variable {@value #ENVIRONMENT} ({@code .ci/run} exports it);</li>
 *   <li>the build script itself, found by walking up from the working directory: it prints the cached bin
 *       directory in a second when built, and builds it (8 to 13 minutes on 2 cores, once per machine) when not.</li>
 * </ol>
 */
public final class ControlPlaneBinaries {

    public static final String PROPERTY = "wavestore.controlPlane.bin";
    public static final String ENVIRONMENT = "WAVESTORE_CONTROL_PLANE_BIN";
    static final String BUILD_SCRIPT = "modules/testkit/control-plane/build.sh";
    static final List<String> NAMES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok");

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneBinaries.class);
    private static Path located;

    private ControlPlaneBinaries() {
    }

    /** The bin directory; resolved once per JVM. */
    public static synchronized Path locate() {
        if (located == null) {
            located = checked(find());
        }
        return located;
    }

    private static Path find() {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment);
        }
        Path script = RepositoryScripts.find(BUILD_SCRIPT);
        if (script == null) {
            throw new IllegalStateException("No Kubernetes control plane binaries: set -D" + PROPERTY + " or "
                    + ENVIRONMENT + " to the bin directory that " + BUILD_SCRIPT + " prints");
        }
        return runBuildScript(script);
    }

    private static Path runBuildScript(Path script) {
        LOG.info("Locating the control plane binaries with {} (builds them once if needed)", script);
        // stderr goes to ours so a first build shows its progress in the test output.
        return Path.of(RepositoryScripts.lastLine(script, Duration.ofHours(2), ProcessBuilder.Redirect.INHERIT));
    }

    private static Path checked(Path bin) {
        List<String> missing = new ArrayList<>();
        for (String name : NAMES) {
            if (!Files.isExecutable(bin.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Control plane bin directory " + bin + " lacks " + missing
                    + "; run " + BUILD_SCRIPT);
        }
        return bin;
    }
}
