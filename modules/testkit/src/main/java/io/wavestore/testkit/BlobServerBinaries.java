package io.wavestore.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Finds the directory of a blob storage server the tests start (Azurite, fake-gcs-server), as installed by
 * {@code modules/testkit/blob-servers/build.sh}. In order: the system property, the environment variable
 * ({@code .ci/run} exports it), then the script's cache entry ({@code build.sh <tool> --installed}, which
 * installs nothing). Missing everywhere is an error that says which command installs it.
 */
final class BlobServerBinaries {

    static final String BUILD_SCRIPT = "modules/testkit/blob-servers/build.sh";

    private BlobServerBinaries() {
    }

    /**
     * @param tool       the script's name for it: {@code azurite} or {@code fake-gcs-server}
     * @param executable the file that must be in the directory
     */
    static Path locate(String tool, String property, String environment, String executable) {
        Path dir = find(tool, property, environment);
        if (!Files.isExecutable(dir.resolve(executable))) {
            throw new IllegalStateException(dir + " has no executable " + executable + "; run: bash " + BUILD_SCRIPT
                    + " " + tool);
        }
        return dir;
    }

    private static Path find(String tool, String property, String environment) {
        String configured = System.getProperty(property);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(environment);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        Path script = RepositoryScripts.find(BUILD_SCRIPT);
        String missing = "No " + tool + " for the blob store tests: run `bash " + BUILD_SCRIPT + " " + tool
                + "` (it installs into ~/.cache/wavestore; .ci/run does it) or set " + environment + " (or -D"
                + property + ") to the directory it prints";
        if (script == null) {
            throw new IllegalStateException(missing);
        }
        try {
            return Path.of(RepositoryScripts.lastLine(script, Duration.ofMinutes(1), ProcessBuilder.Redirect.DISCARD,
                    tool, "--installed"));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(missing, e);
        }
    }
}
