package io.wavestore.bundle;

/**
 * Why a bundle was refused. {@link #code()} is stable (APIs use it in problem types and clients match on it);
 * {@link #title()} is a short human summary; the exception's message says what exactly was wrong. Every one is
 * answered 422: the bundle was received and read, and its content is not acceptable.
 */
public enum BundleError implements ErrorCode.OfEnum {
    NOT_A_ZIP("not-a-zip", "Not a zip archive"),
    CORRUPT_ARCHIVE("corrupt-archive", "Corrupt zip archive"),
    UNSUPPORTED_ZIP("unsupported-zip", "Unsupported zip feature"),
    ENCRYPTED_ENTRY("encrypted-entry", "Encrypted zip entry"),
    INVALID_ENTRY_NAME("invalid-entry-name", "Invalid entry name"),
    ENTRY_ESCAPES_ROOT("entry-escapes-root", "Entry escapes the bundle root"),
    SYMLINK_ENTRY("symlink-entry", "Symbolic link in bundle"),
    DUPLICATE_ENTRY("duplicate-entry", "Duplicate entry"),
    OVERLAPPING_ENTRIES("overlapping-entries", "Overlapping zip entries"),
    TOO_MANY_ENTRIES("too-many-entries", "Too many entries"),
    TOO_LARGE("too-large", "Bundle too large"),
    COMPRESSION_RATIO("compression-ratio", "Compression ratio too high"),
    MISSING_MANIFEST("missing-manifest", "Missing app.toml"),
    UNPARSABLE_MANIFEST("unparsable-manifest", "app.toml is not valid TOML"),
    INVALID_MANIFEST("invalid-manifest", "Invalid app.toml"),
    INVALID_IMAGE("invalid-image", "Invalid image"),
    TOO_MANY_SCREENSHOTS("too-many-screenshots", "Too many screenshots"),
    MISSING_FILE("missing-file", "Missing file"),
    INVALID_LONG_DESCRIPTION("invalid-long-description", "Invalid long description");

    private final Of value;

    BundleError(String code, String title) {
        this.value = new Of(code, title, 422);
    }

    @Override
    public Of value() {
        return value;
    }
}
