package io.wavestore.bundle;

import static io.wavestore.bundle.ChannelReads.readAt;
import static io.wavestore.bundle.ChannelReads.u16;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks what lies between the central records: each local header and the bytes around it. Commons
 * Compress reads a local header only for the lengths that lead to the data (measured with 1.28.0 on
 * HostileArchiveTest's archives: it opens archives whose local header names another file, whose entries
 * share compressed data, or that hide a whole local entry, or a script, between the listed ones). Streaming
 * unzippers read exactly those local headers, so they must show what the central directory shows.
 */
final class ZipLayout {
    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    private static final int FLAG_DATA_DESCRIPTOR = 1 << 3;

    private ZipLayout() {}

    /** Checks every entry's local header, then that the entries tile the bytes before the directory. */
    static void check(FileChannel channel, List<ZipEntryRecord> records, long directoryOffset)
            throws BundleException, IOException {
        Set<ZipEntryRecord> withDescriptor = new HashSet<>();
        for (ZipEntryRecord r : records) {
            if (checkLocalHeader(channel, r, directoryOffset)) {
                withDescriptor.add(r);
            }
        }
        List<ZipEntryRecord> byOffset = new ArrayList<>(records);
        byOffset.sort(Comparator.comparingLong(ZipEntryRecord::localHeaderOffset));
        long expected = 0;
        ZipEntryRecord previous = null;
        for (ZipEntryRecord next : byOffset) {
            long gap = next.localHeaderOffset() - expected;
            if (gap < 0) {
                throw new BundleException(BundleError.OVERLAPPING_ENTRIES, "'"
                        + EntryNames.printable(previous.name()) + "' and '" + EntryNames.printable(next.name())
                        + "' share compressed data");
            }
            checkGap(gap, withDescriptor.contains(previous), "before '" + next.name() + "'");
            expected = next.dataOffset() + next.compressedSize();
            previous = next;
        }
        checkGap(directoryOffset - expected, withDescriptor.contains(previous), "before the central directory");
    }

    /** Returns whether a data descriptor follows the entry's data. */
    private static boolean checkLocalHeader(FileChannel channel, ZipEntryRecord r, long directoryOffset)
            throws BundleException, IOException {
        String shown = "'" + EntryNames.printable(r.name()) + "'";
        if (r.localHeaderOffset() + 30 > directoryOffset) {
            throw corrupt(shown + " points outside the archive's data");
        }
        ByteBuffer local = readAt(channel, r.localHeaderOffset(), 30);
        if (local.getInt(0) != ZipEndRecord.LOCAL_HEADER) {
            throw corrupt(shown + " points to a bad local header");
        }
        int localFlags = u16(local, 6);
        int nameLength = u16(local, 26);
        byte[] localName = new byte[nameLength];
        readAt(channel, r.localHeaderOffset() + 30, nameLength).get(localName);
        if (!Arrays.equals(localName, r.name().getBytes(StandardCharsets.UTF_8))) {
            throw corrupt(shown + " has a different name in its local header");
        }
        if ((localFlags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
            throw new BundleException(BundleError.ENCRYPTED_ENTRY, shown + " is encrypted");
        }
        if (u16(local, 8) != r.method()) {
            throw corrupt(shown + " has a different compression method in its local header");
        }
        long dataOffset = r.localHeaderOffset() + 30 + nameLength + u16(local, 28);
        if (dataOffset != r.dataOffset()) {
            throw corrupt(shown + " has a local header that does not lead to its data");
        }
        if (dataOffset + r.compressedSize() > directoryOffset) {
            throw corrupt(shown + " has data running past the end of the archive's data");
        }
        return (localFlags & FLAG_DATA_DESCRIPTOR) != 0;
    }

    /** Only a data descriptor (12 to 24 bytes, too short to hide a local header) may sit between entries. */
    private static void checkGap(long gap, boolean afterDescriptor, String where) throws BundleException {
        boolean descriptor = afterDescriptor && (gap == 12 || gap == 16 || gap == 20 || gap == 24);
        if (gap != 0 && !descriptor) {
            throw corrupt("the archive has " + gap + " bytes that belong to no entry " + where);
        }
    }

    private static BundleException corrupt(String message) {
        return new BundleException(BundleError.CORRUPT_ARCHIVE, message);
    }
}
