package io.wavestore.bundle;

import java.util.List;
import java.util.Locale;

/**
 * What an operator allows in app.toml beyond the defaults. Environment variables whose names start with a
 * {@link #RESERVED_ENV_PREFIXES reserved prefix} are set by the platform itself (the launcher, Wave, the
 * store), so an app may only set them when an entry of {@code allowedReservedEnvNames} matches: either the
 * exact name ({@code H2O_WAVE_MAX_REQUEST_SIZE}) or a prefix pattern ending in {@code *}
 * ({@code H2O_WAVE_*}). Matching ignores case, because the reserved prefixes are refused in any case too.
 */
public record ManifestPolicy(List<String> allowedReservedEnvNames) {

    /** Prefixes of environment variable names the platform owns. */
    public static final List<String> RESERVED_ENV_PREFIXES = List.of("H2O_CLOUD", "H2O_WAVE", "WAVESTORE");

    public ManifestPolicy {
        allowedReservedEnvNames = List.copyOf(allowedReservedEnvNames);
        for (String pattern : allowedReservedEnvNames) {
            if (pattern.isBlank() || pattern.indexOf('*') >= 0 && pattern.indexOf('*') != pattern.length() - 1) {
                throw new IllegalArgumentException("allowed env name pattern must be a name or end in a single *: '"
                        + pattern + "'");
            }
        }
    }

    /** No reserved names allowed. */
    public static ManifestPolicy defaults() {
        return new ManifestPolicy(List.of());
    }

    /** The reserved prefix {@code name} starts with, or null when it is not reserved. */
    static String reservedPrefixOf(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return RESERVED_ENV_PREFIXES.stream().filter(upper::startsWith).findFirst().orElse(null);
    }

    boolean allowsReserved(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String pattern : allowedReservedEnvNames) {
            String p = pattern.toUpperCase(Locale.ROOT);
            if (p.endsWith("*") ? upper.startsWith(p.substring(0, p.length() - 1)) : upper.equals(p)) {
                return true;
            }
        }
        return false;
    }
}
