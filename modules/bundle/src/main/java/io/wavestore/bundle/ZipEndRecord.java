package io.wavestore.bundle;

import static io.wavestore.bundle.ChannelReads.readAt;
import static io.wavestore.bundle.ChannelReads.u16;
import static io.wavestore.bundle.ChannelReads.u32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Where the archive says its central directory is, read strictly. Commons Compress finds the end record
 * leniently: measured with 1.28.0 on HostileArchiveTest's archives, its ZipFile opens an archive with bytes
 * after the end record; takes a second end record hidden in the comment (and then lists no entries at all);
 * and reads central records by signature, so it lists three entries where the end record declares two.
 * Other unzippers resolve those cases differently, so the store refuses them here before Commons Compress
 * reads anything.
 *
 * @param entryCount      entries the end record declares
 * @param directoryOffset where the central directory starts (and the entries' data ends)
 */
record ZipEndRecord(long entryCount, long directoryOffset) {
    static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;

    /** Reads the end records of {@code channel} and checks the entry count against {@code limits}. */
    static ZipEndRecord read(FileChannel channel, BundleLimits limits) throws BundleException, IOException {
        long eocd = findEndOfCentralDirectory(channel);
        ByteBuffer end = readAt(channel, eocd, EOCD_SIZE);
        long disk = u16(end, 4);
        long directoryDisk = u16(end, 6);
        long entriesOnDisk = u16(end, 8);
        long entryCount = u16(end, 10);
        long directorySize = u32(end, 12);
        long directoryOffset = u32(end, 16);
        long directoryEnd = eocd;
        if (entryCount == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL
                || hasZip64Locator(channel, eocd)) {
            // Writers in ZIP64 mode may also fill in the classic fields; the zip64 records then sit between
            // the central directory and this end record, and they are the ones that count.
            long zip64 = findZip64End(channel, eocd);
            ByteBuffer z = readAt(channel, zip64, 56);
            disk = u32(z, 16);
            directoryDisk = u32(z, 20);
            entriesOnDisk = z.getLong(24);
            entryCount = z.getLong(32);
            directorySize = z.getLong(40);
            directoryOffset = z.getLong(48);
            directoryEnd = zip64;
        }
        if (disk != 0 || directoryDisk != 0 || entriesOnDisk != entryCount) {
            throw new BundleException(BundleError.UNSUPPORTED_ZIP, "the archive spans several disks");
        }
        if (entryCount < 0 || entryCount > limits.maxEntries()) {
            throw new BundleException(BundleError.TOO_MANY_ENTRIES, "the archive has " + entryCount
                    + " entries; at most " + limits.maxEntries() + " are allowed");
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize != directoryEnd) {
            throw corrupt("the central directory is not where the archive's end record says");
        }
        checkDirectoryHoldsExactly(channel, directoryOffset, directoryEnd, entryCount);
        return new ZipEndRecord(entryCount, directoryOffset);
    }

    /** The end record must end the file exactly (after its comment): no guessing among candidates. */
    private static long findEndOfCentralDirectory(FileChannel channel) throws BundleException, IOException {
        long fileSize = channel.size();
        if (fileSize < EOCD_SIZE) {
            throw notAZip(channel, "it is too short");
        }
        int tailLength = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
        ByteBuffer tail = readAt(channel, fileSize - tailLength, tailLength);
        for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
            if (tail.getInt(i) == END_OF_CENTRAL_DIRECTORY && i + EOCD_SIZE + u16(tail, i + 20) == tailLength) {
                for (int j = i + 1; j <= tailLength - 4; j++) {
                    if (tail.getInt(j) == END_OF_CENTRAL_DIRECTORY) {
                        // Readers that take the last signature they see would pick another directory.
                        throw corrupt("the archive comment hides a second zip end record");
                    }
                }
                return fileSize - tailLength + i;
            }
        }
        throw notAZip(channel, "it has no zip end record");
    }

    private static BundleException notAZip(FileChannel channel, String why) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(head, 0);
        if (head.position() == 4 && head.getInt(0) == LOCAL_HEADER) {
            return corrupt("the file starts like a zip archive but is truncated or damaged: " + why);
        }
        return new BundleException(BundleError.NOT_A_ZIP, "the file is not a zip archive: " + why);
    }

    private static boolean hasZip64Locator(FileChannel channel, long eocd) throws BundleException, IOException {
        return eocd >= 20 && readAt(channel, eocd - 20, 4).getInt(0) == ZIP64_LOCATOR;
    }

    private static long findZip64End(FileChannel channel, long eocd) throws BundleException, IOException {
        if (!hasZip64Locator(channel, eocd)) {
            throw corrupt("the archive's zip64 locator is missing");
        }
        long offset = readAt(channel, eocd - 20, 20).getLong(8);
        if (offset < 0 || offset + 56 > eocd - 20) {
            throw corrupt("the archive's zip64 end record is out of place");
        }
        if (readAt(channel, offset, 4).getInt(0) != ZIP64_END) {
            throw corrupt("the archive's zip64 end record is missing");
        }
        return offset;
    }

    /**
     * Walks the declared number of central records by their lengths: they must fill the directory exactly,
     * because bytes left over could hide entries that readers going by signature would see.
     */
    private static void checkDirectoryHoldsExactly(FileChannel channel, long start, long end, long count)
            throws BundleException, IOException {
        long at = start;
        for (long i = 0; i < count; i++) {
            if (at + 46 > end) {
                throw corrupt("the central directory is shorter than its entries");
            }
            ByteBuffer h = readAt(channel, at, 46);
            if (h.getInt(0) != CENTRAL_HEADER) {
                throw corrupt("central directory entry " + i + " has a bad signature");
            }
            at += 46L + u16(h, 28) + u16(h, 30) + u16(h, 32);
        }
        if (at > end) {
            throw corrupt("the central directory is shorter than its entries");
        }
        if (at < end) {
            throw corrupt("the central directory holds more than its " + count + " declared entries");
        }
    }

    private static BundleException corrupt(String message) {
        return new BundleException(BundleError.CORRUPT_ARCHIVE, message);
    }
}
