package io.wavestore.bundle;

import java.nio.file.Path;

/**
 * The icon or a screenshot of a bundle: its path inside the bundle ({@code static/icon.png}), the media type
 * read from its content ({@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp}), the
 * extracted file, its size in bytes and its pixel dimensions.
 */
public record BundleImage(String path, String mediaType, Path file, long size, int width, int height) {}
