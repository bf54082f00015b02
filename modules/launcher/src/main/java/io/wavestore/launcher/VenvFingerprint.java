package io.wavestore.launcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a virtual environment was built from. A venv on the resource volume is reused when the next start
 * would build the same one: same Python, same requirements.txt, and, when requirements.txt points at files of
 * the bundle (a local wheel, {@code -r other.txt}, {@code -e .}), the same bundle, because those files can change
 * while requirements.txt does not.
 *
 * @param python        the base interpreter's {@code sys.version} and real path
 * @param requirements  SHA-256 of requirements.txt, or {@code none}
 * @param bundle        SHA-256 of the bundle when requirements.txt refers to its files, else {@code any}
 */
record VenvFingerprint(String python, String requirements, String bundle) {
    /** Bumped when the launcher builds venvs differently, so old ones are rebuilt. */
    static final int FORMAT = 1;

    /** Made from what the launcher knows at start. */
    static VenvFingerprint of(String python, Optional<String> requirementsText, String bundleSha256) {
        String req = requirementsText.map(t -> Digests.sha256(t.getBytes(StandardCharsets.UTF_8)))
                .orElse("none");
        String bundle = requirementsText.filter(VenvFingerprint::refersToLocalFiles).map(t -> bundleSha256)
                .orElse("any");
        return new VenvFingerprint(python.replace('\n', ' ').strip(), req, bundle);
    }

    /**
     * The name of the environment built from this in the dependency cache: the same for every app whose
     * requirements.txt and Python are the same; {@code needsWaved} because a Wave app's environment gets h2o-wave
     * even when its requirements.txt does not name it.
     */
    String cacheKey(boolean needsWaved) {
        return Digests.sha256((toMarker() + "waved=" + needsWaved + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The marker file's content. */
    String toMarker() {
        return "format=" + FORMAT + "\npython=" + python + "\nrequirements=" + requirements + "\nbundle=" + bundle
                + "\n";
    }

    /**
     * Whether a venv whose marker says {@code marker} can be used as it is; {@code complete} tells whether its
     * interpreter (and, for a Wave app, waved) is still there.
     */
    Decision decide(Optional<String> marker, boolean complete) {
        if (marker.isEmpty()) {
            return new Decision(false, "no virtual environment was completed here before");
        }
        if (!marker.get().equals(toMarker())) {
            List<String> changed = new ArrayList<>();
            for (String line : toMarker().split("\n")) {
                if (!marker.get().lines().toList().contains(line)) {
                    changed.add(line.substring(0, line.indexOf('=')));
                }
            }
            return new Decision(false, "it was built from a different " + String.join(" and ",
                    changed.stream().map(VenvFingerprint::describe).toList()));
        }
        if (!complete) {
            return new Decision(false, "it is incomplete (its python or waved is missing)");
        }
        return new Decision(true, "requirements.txt and Python are unchanged");
    }

    /** Reuse it or build it anew, and why. */
    record Decision(boolean reuse, String reason) {}

    private static String describe(String key) {
        return switch (key) {
            case "python" -> "Python";
            case "requirements" -> "requirements.txt";
            case "bundle" -> "bundle (requirements.txt uses its files)";
            default -> "launcher version";
        };
    }

    /**
     * Whether a requirements line installs something from the bundle itself rather than from an index: a path
     * ({@code ./wheels/x.whl}, {@code -e .}, {@code file:...}), or an option naming another file.
     */
    static boolean refersToLocalFiles(String requirements) {
        for (String raw : requirements.lines().toList()) {
            String line = raw.strip();
            int comment = line.indexOf(" #");
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (comment >= 0) {
                line = line.substring(0, comment).strip();
            }
            String lower = line.toLowerCase(Locale.ROOT);
            Optional<String> fileOption = fileOptionValue(line);
            if (fileOption.isPresent()) {
                if (!fileOption.get().contains("://")) {
                    return true;
                }
                continue;
            }
            if (lower.startsWith("-e ") || lower.startsWith("--editable")) {
                line = line.replaceFirst("^(-e|--editable)[= ]+", "");
                lower = line.toLowerCase(Locale.ROOT);
            }
            if (lower.startsWith("-")) {
                continue;
            }
            if (line.startsWith(".") || line.startsWith("/") || line.startsWith("~") || lower.startsWith("file:")
                    || lower.contains("@ file:")) {
                return true;
            }
            if (!lower.contains("://") && (lower.endsWith(".whl") || lower.endsWith(".tar.gz")
                    || lower.endsWith(".zip"))) {
                return true;
            }
        }
        return false;
    }

    /** The value of {@code -r}, {@code -c}, {@code -f} and their long forms, in any of pip's spellings. */
    private static Optional<String> fileOptionValue(String line) {
        for (String option : List.of("--requirement", "--constraint", "--find-links", "-r", "-c", "-f")) {
            if (!line.startsWith(option)) {
                continue;
            }
            String rest = line.substring(option.length());
            if (rest.startsWith(" ") || rest.startsWith("=") || !option.startsWith("--") && !rest.isEmpty()) {
                return Optional.of(rest.replaceFirst("^[= ]+", "").strip());
            }
        }
        return Optional.empty();
    }
}
