package io.wavestore.bundle;

import java.util.Optional;

/**
 * One {@code [[Env]]}: an environment variable of the app's process, either a literal {@code value} or read
 * from the key {@code secretKey} of the secret {@code secret}. {@code optional} means a missing secret is not
 * an error at start time. Exactly one of {@code value} and {@code secret} is present.
 */
public record EnvVarSpec(String name, Optional<String> value, Optional<String> secret, Optional<String> secretKey,
                         boolean optional) {}
