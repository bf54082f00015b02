package io.wavestore.bundle;

/**
 * How much a bundle may hold. Sizes count bytes actually inflated, never the sizes a zip declares.
 *
 * @param maxEntries              entries in the archive, directories included
 * @param maxUncompressedBytes    all entries inflated together
 * @param maxEntryBytes           one entry inflated
 * @param maxCompressionRatio     inflated/compressed bytes of one entry; checked once the entry passes
 *                                {@link #RATIO_GRACE_BYTES}, because tiny files of repeated text legitimately
 *                                compress very well while zip bombs are big by definition
 * @param maxImageBytes           the icon and each screenshot
 * @param maxImagePixels          width x height of the icon and each screenshot
 * @param maxScreenshots          number of {@code static/screenshot*} files
 * @param maxLongDescriptionBytes the LongDescription markdown file
 */
public record BundleLimits(int maxEntries, long maxUncompressedBytes, long maxEntryBytes,
                           double maxCompressionRatio, long maxImageBytes, int maxImagePixels,
                           int maxScreenshots, long maxLongDescriptionBytes) {

    /** An entry must inflate past this many bytes before its compression ratio is judged. */
    public static final long RATIO_GRACE_BYTES = 1024 * 1024;

    public BundleLimits {
        if (maxEntries < 1 || maxUncompressedBytes < 1 || maxEntryBytes < 1 || !(maxCompressionRatio >= 1)
                || maxImageBytes < 1 || maxImagePixels < 1 || maxScreenshots < 0 || maxLongDescriptionBytes < 1) {
            throw new IllegalArgumentException("bundle limits must be positive (ratio at least 1, screenshots at"
                    + " least 0)");
        }
    }

    /**
     * 10,000 entries; 1 GiB inflated in all and 512 MiB per entry (room for a wheel or a small model);
     * compression ratio 100 (source code compresses about 3-10x, zip bombs 1000x and more); images up to
     * 5 MiB and 4096 x 4096 pixels; 10 screenshots; a 256 KiB LongDescription.
     */
    public static BundleLimits defaults() {
        return new BundleLimits(10_000, 1L << 30, 512L << 20, 100.0, 5L << 20, 4096 * 4096, 10, 256L << 10);
    }
}
