package io.wavestore.bundle;

import java.util.Optional;

/**
 * One {@code [[File]]}: a file written into the instance's file system at {@code path} (absolute, or relative
 * to the app's directory), with a literal {@code value} or the content of a secret. Exactly one of
 * {@code value} and {@code secret} is present; {@code secretKey} only with {@code secret}.
 */
public record FileSpec(String path, Optional<String> value, Optional<String> secret, Optional<String> secretKey) {

    /** A file without a secret key (the key defaults to the runtime's convention). */
    public FileSpec(String path, Optional<String> value, Optional<String> secret) {
        this(path, value, secret, Optional.empty());
    }
}
