package io.wavestore.bundle;

/**
 * One entry as the zip's central directory declares it (read by Commons Compress), after {@link EntryPolicy}
 * checked its name and type. Sizes are claims: {@link ZipArchive} counts what actually inflates and refuses
 * any difference.
 */
record ZipEntryRecord(String name, boolean directory, int method, long crc, long compressedSize, long size,
                      long localHeaderOffset, long dataOffset) {
}
