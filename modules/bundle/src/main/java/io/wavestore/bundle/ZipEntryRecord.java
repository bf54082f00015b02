package io.wavestore.bundle;

/**
 * One entry as the zip's central directory declares it, after its name and type were checked. Sizes are
 * claims: {@link ZipArchive} counts what actually inflates and refuses any difference.
 */
record ZipEntryRecord(String name, boolean directory, int method, long crc, long compressedSize, long size,
                      long localHeaderOffset, long dataOffset) {
    static final int STORED = 0;
    static final int DEFLATED = 8;
}
