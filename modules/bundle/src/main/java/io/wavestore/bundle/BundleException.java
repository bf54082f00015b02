package io.wavestore.bundle;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A bundle or manifest that was refused. {@link #error()} classifies it; {@link #violations()} lists every
 * field problem of app.toml when the error is {@link BundleError#INVALID_MANIFEST} and is empty otherwise.
 */
public final class BundleException extends Exception implements CodedException {
    private static final long serialVersionUID = 1L;

    private final BundleError error;
    private final transient List<FieldViolation> violations;

    public BundleException(BundleError error, String message) {
        this(error, message, List.of(), null);
    }

    public BundleException(BundleError error, String message, Throwable cause) {
        this(error, message, List.of(), cause);
    }

    private BundleException(BundleError error, String message, List<FieldViolation> violations, Throwable cause) {
        super(message, cause);
        this.error = error;
        this.violations = List.copyOf(violations);
    }

    /** app.toml parsed but broke rules; the message lists them all, one per line. */
    public static BundleException invalidManifest(List<FieldViolation> violations) {
        String lines = violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
        String count = violations.size() == 1 ? "1 problem" : violations.size() + " problems";
        return new BundleException(BundleError.INVALID_MANIFEST, "app.toml has " + count + ":\n" + lines,
                violations, null);
    }

    @Override
    public BundleError error() {
        return error;
    }

    @Override
    public List<FieldViolation> violations() {
        return violations;
    }

    /** The field, when exactly one was wrong. */
    @Override
    public Optional<String> field() {
        return violations.size() == 1 ? Optional.of(violations.get(0).field()) : Optional.empty();
    }
}
