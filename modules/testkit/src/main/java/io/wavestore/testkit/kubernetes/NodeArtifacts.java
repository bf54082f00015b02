package io.wavestore.testkit.kubernetes;

import io.wavestore.testkit.RepositoryScripts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what a {@link KubernetesNode} runs: the node directory built by {@code modules/testkit/node/build.sh}
 * (bin/kubelet, kube-proxy, coredns; images/pause.oci.tar) and the images built by {@code docker/build.sh}. Each
 * from a system property, else an environment variable ({@code .ci/run} exports them), else the build script
 * itself, which prints its cached result at once and builds it when there is none.
 */
public final class NodeArtifacts {

    public static final String NODE_PROPERTY = "wavestore.node.dir";
    public static final String NODE_ENVIRONMENT = "WAVESTORE_NODE_DIR";
    static final String NODE_SCRIPT = "modules/testkit/node/build.sh";
    static final String IMAGES_SCRIPT = "docker/build.sh";
    static final List<String> BINARIES = List.of("kubelet", "kube-proxy", "coredns");

    private static final Logger LOG = LoggerFactory.getLogger(NodeArtifacts.class);

    private NodeArtifacts() {
    }

    /** The node directory, checked to hold every binary and the pause image. */
    public static Path nodeDir() {
        Path dir = configured(NODE_PROPERTY, NODE_ENVIRONMENT);
        if (dir == null) {
            dir = Path.of(runScript(NODE_SCRIPT));
        }
        for (String binary : BINARIES) {
            if (!Files.isExecutable(dir.resolve("bin").resolve(binary))) {
                throw new IllegalStateException(dir + " lacks bin/" + binary + "; run bash " + NODE_SCRIPT);
            }
        }
        if (!Files.isRegularFile(dir.resolve("images/pause.oci.tar"))) {
            throw new IllegalStateException(dir + " lacks images/pause.oci.tar; run bash " + NODE_SCRIPT);
        }
        return dir;
    }

    /**
     * The OCI archive of {@code wavestore/<name>:dev} ({@code instance} or {@code store}): the system property
     * {@code wavestore.image.<name>}, the environment variable {@code WAVESTORE_IMAGE_<NAME>}, else
     * {@code docker/build.sh <name>}.
     */
    public static Path image(String name) {
        Path archive = configured("wavestore.image." + name, "WAVESTORE_IMAGE_" + name.toUpperCase(java.util.Locale.ROOT));
        if (archive == null) {
            archive = Path.of(runScript(IMAGES_SCRIPT, name)).resolve(name + ".oci.tar");
        }
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no image archive " + archive + "; run bash " + IMAGES_SCRIPT + " " + name);
        }
        return archive;
    }

    private static Path configured(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : Path.of(value.strip());
    }

    private static String runScript(String relative, String... args) {
        Path script = RepositoryScripts.find(relative);
        if (script == null) {
            throw new IllegalStateException("cannot find " + relative + " above " + Path.of("").toAbsolutePath());
        }
        LOG.info("Running {} {} (prints its cached result, or builds it once)", script, String.join(" ", args));
        return RepositoryScripts.lastLine(script, Duration.ofHours(1), ProcessBuilder.Redirect.INHERIT, args);
    }
}
