package io.wavestore.bundle;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read defensively. java.util.zip is not used for the structure because it hides what matters
 * here (Unix modes in the external attributes, duplicate names, the gap between local and central headers)
 * and trusts declared sizes; this class parses the central directory itself, refuses everything unsafe or
 * ambiguous before a byte is inflated, and inflates entries with {@link Inflater} while counting the bytes it
 * actually produces. Only stored and deflated entries exist in bundles made by any common tool.
 */
final class ZipArchive implements Closeable {
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_END = 0x06064b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    private static final int ZIP64_EXTRA = 0x0001;
    private static final int UNICODE_PATH_EXTRA = 0x7075;

    private static final int FLAG_ENCRYPTED = 1;
    private static final int FLAG_STRONG_ENCRYPTION = 1 << 6;
    private static final int FLAG_DATA_DESCRIPTOR = 1 << 3;
    private static final int FLAG_UTF8 = 1 << 11;
    private static final int FLAG_ENCRYPTED_DIRECTORY = 1 << 13;

    private static final int S_IFMT = 0xF000;
    private static final int S_IFLNK = 0xA000;
    private static final int S_IFREG = 0x8000;
    private static final int S_IFDIR = 0x4000;

    private final FileChannel channel;
    private final BundleLimits limits;
    private final Map<String, ZipEntryRecord> entries;
    private long inflatedBytes;

    private ZipArchive(FileChannel channel, BundleLimits limits, Map<String, ZipEntryRecord> entries) {
        this.channel = channel;
        this.limits = limits;
        this.entries = entries;
    }

    /** Opens and checks {@code file}: structure, names, types, duplicates and declared sizes. */
    static ZipArchive open(Path file, BundleLimits limits) throws BundleException, IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Map<String, ZipEntryRecord> entries = new Scanner(channel, limits).scan();
            return new ZipArchive(channel, limits, entries);
        } catch (BundleException | IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Entries in central directory order. */
    List<ZipEntryRecord> entries() {
        return List.copyOf(entries.values());
    }

    Optional<ZipEntryRecord> find(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    /** Bytes inflated so far by this archive, over all entries. */
    long inflatedBytes() {
        return inflatedBytes;
    }

    /** The content of a small entry, refused as too large past {@code maxBytes}. */
    byte[] read(ZipEntryRecord entry, long maxBytes, String what) throws BundleException, IOException {
        if (entry.size() > maxBytes) {
            throw new BundleException(BundleError.TOO_LARGE,
                    what + " is " + entry.size() + " bytes; at most " + maxBytes + " are allowed");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) entry.size());
        copy(entry, out);
        return out.toByteArray();
    }

    /**
     * Inflates {@code entry} into {@code out}, stopping as soon as it passes a limit or its declared size, so
     * a zip bomb costs at most one buffer beyond the limit. The CRC must match at the end.
     */
    void copy(ZipEntryRecord entry, OutputStream out) throws BundleException, IOException {
        if (entry.directory()) {
            return;
        }
        InputStream raw = new ChannelSlice(channel, entry.dataOffset(), entry.compressedSize());
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[64 * 1024];
        long before = inflatedBytes;
        long written = 0;
        if (entry.method() == ZipEntryRecord.STORED) {
            int n;
            while ((n = raw.read(buffer)) > 0) {
                written += n;
                checkProgress(entry, before, written, written);
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } else {
            written = inflate(entry, raw, crc, buffer, out, before);
        }
        if (written != entry.size()) {
            throw corrupt("'" + entry.name() + "' holds " + written + " bytes but declares " + entry.size());
        }
        if (crc.getValue() != entry.crc()) {
            throw corrupt("'" + entry.name() + "' fails its CRC check");
        }
    }

    private long inflate(ZipEntryRecord entry, InputStream raw, CRC32 crc, byte[] buffer, OutputStream out,
                         long before) throws BundleException, IOException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = new byte[64 * 1024];
            boolean fedPadding = false;
            long written = 0;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    int n = raw.read(input);
                    if (n > 0) {
                        inflater.setInput(input, 0, n);
                    } else if (!fedPadding) {
                        // Raw inflate may need one byte past the end of the data to finish (zlib's contract).
                        inflater.setInput(new byte[1]);
                        fedPadding = true;
                    } else {
                        throw corrupt("'" + entry.name() + "' ends before its compressed data does");
                    }
                }
                int n;
                try {
                    n = inflater.inflate(buffer);
                } catch (DataFormatException e) {
                    throw new BundleException(BundleError.CORRUPT_ARCHIVE,
                            "'" + entry.name() + "' has broken compressed data: " + e.getMessage(), e);
                }
                if (n == 0 && (inflater.needsDictionary() || !inflater.needsInput() && !inflater.finished())) {
                    throw corrupt("'" + entry.name() + "' has compressed data that does not inflate");
                }
                if (n > 0) {
                    written += n;
                    checkProgress(entry, before, written, inflater.getBytesRead());
                    crc.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            return written;
        } finally {
            inflater.end();
        }
    }

    /**
     * Called after every buffer with the entry's bytes so far: the limits first (they say the most), then the
     * entry's own claim. Keeps {@link #inflatedBytes} exact at the moment of refusal.
     */
    private void checkProgress(ZipEntryRecord entry, long before, long written, long compressedRead)
            throws BundleException {
        inflatedBytes = before + written;
        if (written > limits.maxEntryBytes()) {
            throw new BundleException(BundleError.TOO_LARGE, "'" + entry.name() + "' inflates to more than "
                    + limits.maxEntryBytes() + " bytes, the limit for one entry");
        }
        if (inflatedBytes > limits.maxUncompressedBytes()) {
            throw new BundleException(BundleError.TOO_LARGE, "the bundle inflates to more than "
                    + limits.maxUncompressedBytes() + " bytes");
        }
        if (written > BundleLimits.RATIO_GRACE_BYTES
                && written > limits.maxCompressionRatio() * Math.max(compressedRead, 1)) {
            throw new BundleException(BundleError.COMPRESSION_RATIO, "'" + entry.name() + "' inflated "
                    + written + " bytes from " + compressedRead + " compressed bytes, more than "
                    + (long) limits.maxCompressionRatio() + " to 1 (a zip bomb?)");
        }
        if (written > entry.size()) {
            throw corrupt("'" + entry.name() + "' inflates to more than the " + entry.size() + " bytes it declares");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static BundleException corrupt(String message) {
        return new BundleException(BundleError.CORRUPT_ARCHIVE, message);
    }

    /** Reads and checks the central directory and the local headers it points to. */
    private static final class Scanner {
        private final FileChannel channel;
        private final BundleLimits limits;
        private final long fileSize;

        Scanner(FileChannel channel, BundleLimits limits) throws IOException {
            this.channel = channel;
            this.limits = limits;
            this.fileSize = channel.size();
        }

        Map<String, ZipEntryRecord> scan() throws BundleException, IOException {
            long eocd = findEndOfCentralDirectory();
            ByteBuffer end = readAt(eocd, EOCD_SIZE);
            int disk = u16(end, 4);
            int directoryDisk = u16(end, 6);
            long entriesOnDisk = u16(end, 8);
            long entryCount = u16(end, 10);
            long directorySize = u32(end, 12);
            long directoryOffset = u32(end, 16);
            long directoryEnd = eocd;
            if (entryCount == 0xFFFF || directorySize == 0xFFFFFFFFL || directoryOffset == 0xFFFFFFFFL) {
                long zip64 = findZip64End(eocd);
                ByteBuffer z = readAt(zip64, 56);
                disk = (int) u32(z, 16);
                directoryDisk = (int) u32(z, 20);
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
            List<ZipEntryRecord> records = readCentralDirectory(directoryOffset, directorySize, (int) entryCount);
            checkNames(records);
            Map<String, ZipEntryRecord> byName = new LinkedHashMap<>();
            for (ZipEntryRecord r : checkLayout(records, directoryOffset)) {
                byName.put(r.name(), r);
            }
            return byName;
        }

        /** The end record must end the file exactly (after its comment): no guessing among candidates. */
        private long findEndOfCentralDirectory() throws BundleException, IOException {
            if (fileSize < EOCD_SIZE) {
                throw notAZip("it is too short");
            }
            int tailLength = (int) Math.min(fileSize, EOCD_SIZE + MAX_COMMENT);
            ByteBuffer tail = readAt(fileSize - tailLength, tailLength);
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
            throw notAZip("it has no zip end record");
        }

        private BundleException notAZip(String why) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(head, 0);
            if (head.position() == 4 && head.getInt(0) == LOCAL_HEADER) {
                return corrupt("the file starts like a zip archive but is truncated or damaged: " + why);
            }
            return new BundleException(BundleError.NOT_A_ZIP, "the file is not a zip archive: " + why);
        }

        private long findZip64End(long eocd) throws BundleException, IOException {
            if (eocd < 20) {
                throw corrupt("the archive's zip64 locator is missing");
            }
            ByteBuffer locator = readAt(eocd - 20, 20);
            if (locator.getInt(0) != ZIP64_LOCATOR) {
                throw corrupt("the archive's zip64 locator is missing");
            }
            long offset = locator.getLong(8);
            if (offset < 0 || offset + 56 > eocd - 20) {
                throw corrupt("the archive's zip64 end record is out of place");
            }
            if (readAt(offset, 4).getInt(0) != ZIP64_END) {
                throw corrupt("the archive's zip64 end record is missing");
            }
            return offset;
        }

        private List<ZipEntryRecord> readCentralDirectory(long offset, long size, int count)
                throws BundleException, IOException {
            List<ZipEntryRecord> records = new ArrayList<>(count);
            CountingInput counting = new CountingInput(
                    new BufferedInputStream(new ChannelSlice(channel, offset, size), 64 * 1024));
            DataInputStream in = new DataInputStream(counting);
            byte[] fixed = new byte[46];
            try {
                for (int i = 0; i < count; i++) {
                    in.readFully(fixed);
                    ByteBuffer h = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
                    if (h.getInt(0) != CENTRAL_HEADER) {
                        throw corrupt("central directory entry " + i + " has a bad signature");
                    }
                    byte[] nameBytes = new byte[u16(h, 28)];
                    byte[] extra = new byte[u16(h, 30)];
                    in.readFully(nameBytes);
                    in.readFully(extra);
                    in.skipNBytes(u16(h, 32));
                    records.add(centralEntry(h, nameBytes, extra));
                }
            } catch (EOFException e) {
                throw corrupt("the central directory is shorter than its entries");
            }
            if (counting.count != size) {
                // Bytes left over could hide entries that other zip readers would see.
                throw corrupt("the central directory holds more than its " + count + " declared entries");
            }
            return records;
        }

        private ZipEntryRecord centralEntry(ByteBuffer h, byte[] nameBytes, byte[] extra)
                throws BundleException {
            int flags = u16(h, 8);
            int method = u16(h, 10);
            long crc = u32(h, 16);
            long compressed = u32(h, 20);
            long size = u32(h, 24);
            int diskStart = u16(h, 34);
            int unixMode = (int) (u32(h, 38) >>> 16);
            long localOffset = u32(h, 42);

            String name = decodeName(nameBytes, flags);
            String shown = "'" + EntryNames.printable(name) + "'";
            // Zip64 extra: 64-bit values, present only for the fields marked 0xFFFFFFFF, in this order.
            ByteBuffer zip64 = extraField(extra, ZIP64_EXTRA);
            if (zip64 != null) {
                try {
                    if (size == 0xFFFFFFFFL) {
                        size = zip64.getLong();
                    }
                    if (compressed == 0xFFFFFFFFL) {
                        compressed = zip64.getLong();
                    }
                    if (localOffset == 0xFFFFFFFFL) {
                        localOffset = zip64.getLong();
                    }
                } catch (java.nio.BufferUnderflowException e) {
                    throw corrupt(shown + " has a truncated zip64 field");
                }
            }
            ByteBuffer unicodePath = extraField(extra, UNICODE_PATH_EXTRA);
            if (unicodePath != null && unicodePath.remaining() > 5) {
                // Some unzip tools prefer this second name; it must not differ from the one checked here.
                byte[] other = new byte[unicodePath.remaining() - 5];
                unicodePath.position(5).get(other);
                if (!new String(other, StandardCharsets.UTF_8).equals(name)) {
                    throw new BundleException(BundleError.INVALID_ENTRY_NAME,
                            shown + " carries a different second name in its Unicode path field");
                }
            }
            if ((flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_ENCRYPTED_DIRECTORY)) != 0) {
                throw new BundleException(BundleError.ENCRYPTED_ENTRY,
                        shown + " is encrypted; bundles must not be password-protected");
            }
            if (method != ZipEntryRecord.STORED && method != ZipEntryRecord.DEFLATED) {
                throw new BundleException(BundleError.UNSUPPORTED_ZIP, shown + " uses compression method "
                        + method + "; only stored (0) and deflated (8) are supported");
            }
            if (diskStart != 0) {
                throw new BundleException(BundleError.UNSUPPORTED_ZIP, "the archive spans several disks");
            }
            EntryNames.Problem problem = EntryNames.entryNameProblem(name);
            if (problem != null) {
                throw new BundleException(problem.error(), "entry " + problem.message());
            }
            boolean directory = name.endsWith("/");
            int type = unixMode & S_IFMT;
            if (type == S_IFLNK) {
                throw new BundleException(BundleError.SYMLINK_ENTRY,
                        shown + " is a symbolic link; bundles may hold only files and folders");
            }
            if (type != 0 && type != S_IFREG && type != S_IFDIR) {
                throw new BundleException(BundleError.UNSUPPORTED_ZIP,
                        shown + " is a device, pipe or socket; bundles may hold only files and folders");
            }
            if (type == S_IFDIR && !directory || type == S_IFREG && directory) {
                throw new BundleException(BundleError.INVALID_ENTRY_NAME,
                        shown + " is marked as a " + (directory ? "file" : "folder") + " but named as a "
                                + (directory ? "folder" : "file"));
            }
            if (directory && (size != 0 || compressed > 2)) {
                throw corrupt(shown + " is a folder with content");
            }
            if (compressed < 0 || size < 0 || localOffset < 0) {
                throw corrupt(shown + " declares impossible sizes");
            }
            if (method == ZipEntryRecord.STORED && compressed != size) {
                throw corrupt(shown + " is stored uncompressed but declares two different sizes");
            }
            return new ZipEntryRecord(name, directory, method, crc, compressed, size, localOffset, -1);
        }

        private static String decodeName(byte[] bytes, int flags) throws BundleException {
            try {
                // Names without the UTF-8 flag are officially CP437, but every tool in use writes ASCII or
                // UTF-8 there; anything else is refused rather than guessed, so all readers agree on the name.
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new BundleException(BundleError.INVALID_ENTRY_NAME, "an entry name is not valid UTF-8"
                        + ((flags & FLAG_UTF8) != 0 ? " although it is flagged as UTF-8" : ""));
            }
        }

        /**
         * Entries must follow each other without gaps or overlaps, from the first byte to the central
         * directory. Overlaps let a few compressed bytes inflate many times over; gaps can hide local entries
         * that streaming unzippers (which read local headers, not the directory) would extract unseen.
         */
        private List<ZipEntryRecord> checkLayout(List<ZipEntryRecord> records, long directoryOffset)
                throws BundleException, IOException {
            List<ZipEntryRecord> located = new ArrayList<>(records.size());
            Map<ZipEntryRecord, Boolean> hasDescriptor = new HashMap<>();
            for (ZipEntryRecord r : records) {
                String shown = "'" + EntryNames.printable(r.name()) + "'";
                if (r.localHeaderOffset() + 30 > directoryOffset) {
                    throw corrupt(shown + " points outside the archive's data");
                }
                ByteBuffer local = readAt(r.localHeaderOffset(), 30);
                if (local.getInt(0) != LOCAL_HEADER) {
                    throw corrupt(shown + " points to a bad local header");
                }
                int localFlags = u16(local, 6);
                int nameLength = u16(local, 26);
                int extraLength = u16(local, 28);
                byte[] localName = new byte[nameLength];
                readAt(r.localHeaderOffset() + 30, nameLength).get(localName);
                if (!Arrays.equals(localName, r.name().getBytes(StandardCharsets.UTF_8))) {
                    // Streaming unzippers read local headers: they must see the same names as we do.
                    throw corrupt(shown + " has a different name in its local header");
                }
                if ((localFlags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) != 0) {
                    throw new BundleException(BundleError.ENCRYPTED_ENTRY, shown + " is encrypted");
                }
                if (u16(local, 8) != r.method()) {
                    throw corrupt(shown + " has a different compression method in its local header");
                }
                long dataOffset = r.localHeaderOffset() + 30 + nameLength + extraLength;
                if (dataOffset + r.compressedSize() > directoryOffset) {
                    throw corrupt(shown + " has data running past the end of the archive's data");
                }
                ZipEntryRecord withData = new ZipEntryRecord(r.name(), r.directory(), r.method(), r.crc(),
                        r.compressedSize(), r.size(), r.localHeaderOffset(), dataOffset);
                located.add(withData);
                hasDescriptor.put(withData, (localFlags & FLAG_DATA_DESCRIPTOR) != 0);
            }
            List<ZipEntryRecord> byOffset = new ArrayList<>(located);
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
                checkGap(gap, previous != null && hasDescriptor.get(previous), "before '" + next.name() + "'");
                expected = next.dataOffset() + next.compressedSize();
                previous = next;
            }
            checkGap(directoryOffset - expected, previous != null && hasDescriptor.get(previous),
                    "before the central directory");
            return located;
        }

        /** Only a data descriptor (12 to 24 bytes, too short to hide a local header) may sit between entries. */
        private static void checkGap(long gap, boolean afterDescriptor, String where) throws BundleException {
            boolean descriptor = afterDescriptor && (gap == 12 || gap == 16 || gap == 20 || gap == 24);
            if (gap != 0 && !descriptor) {
                throw corrupt("the archive has " + gap + " bytes that belong to no entry " + where);
            }
        }

        /**
         * Refuses duplicate names, also up to case and Unicode form and also of folders (so "lib/a.py" and
         * "LIB/b.py" cannot land in one folder on macOS and two on Linux), then the declared size limits.
         */
        private void checkNames(List<ZipEntryRecord> records) throws BundleException {
            Set<String> names = new HashSet<>();
            Map<String, String> files = new HashMap<>();
            Map<String, String> folders = new HashMap<>();
            long declaredTotal = 0;
            for (ZipEntryRecord r : records) {
                String shown = "'" + EntryNames.printable(r.name()) + "'";
                if (!names.add(r.name())) {
                    throw new BundleException(BundleError.DUPLICATE_ENTRY, shown + " appears more than once");
                }
                String path = r.directory() ? r.name().substring(0, r.name().length() - 1) : r.name();
                for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
                    spellFolder(folders, path.substring(0, slash));
                }
                if (r.directory()) {
                    spellFolder(folders, path);
                } else {
                    String clash = files.putIfAbsent(EntryNames.fold(path), path);
                    if (clash != null) {
                        throw caseClash(path, clash);
                    }
                }
                if (r.size() > limits.maxEntryBytes()) {
                    throw new BundleException(BundleError.TOO_LARGE, shown + " declares " + r.size()
                            + " bytes; at most " + limits.maxEntryBytes() + " are allowed per entry");
                }
                declaredTotal += r.size();
                if (declaredTotal > limits.maxUncompressedBytes()) {
                    throw new BundleException(BundleError.TOO_LARGE, "the bundle declares more than "
                            + limits.maxUncompressedBytes() + " bytes of content");
                }
                if (r.size() > BundleLimits.RATIO_GRACE_BYTES
                        && r.size() > limits.maxCompressionRatio() * Math.max(r.compressedSize(), 1)) {
                    throw new BundleException(BundleError.COMPRESSION_RATIO, shown + " declares " + r.size()
                            + " bytes from " + r.compressedSize() + " compressed bytes, more than "
                            + (long) limits.maxCompressionRatio() + " to 1 (a zip bomb?)");
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                if (folders.containsKey(file.getKey())) {
                    throw new BundleException(BundleError.DUPLICATE_ENTRY, "'"
                            + EntryNames.printable(file.getValue()) + "' is both a file and a folder");
                }
            }
        }

        /** Records how a folder is spelled; another spelling of the same folded path is a clash. */
        private static void spellFolder(Map<String, String> folders, String folder) throws BundleException {
            String spelling = folders.putIfAbsent(EntryNames.fold(folder), folder);
            if (spelling != null && !spelling.equals(folder)) {
                throw caseClash(folder + "/", spelling + "/");
            }
        }

        private static BundleException caseClash(String name, String other) {
            return new BundleException(BundleError.DUPLICATE_ENTRY, "'" + EntryNames.printable(name) + "' and '"
                    + EntryNames.printable(other) + "' differ only in letter case or Unicode form;"
                    + " they would overwrite each other on macOS and Windows");
        }

        private ByteBuffer readAt(long position, int length) throws BundleException, IOException {
            if (position < 0 || position + length > fileSize) {
                throw corrupt("a record lies outside the file");
            }
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, position + buffer.position()) < 0) {
                    throw corrupt("the file ended unexpectedly");
                }
            }
            return buffer.flip();
        }

        /** The data of the extra field {@code id}, or null; a malformed extra block is corrupt. */
        private static ByteBuffer extraField(byte[] extra, int id) throws BundleException {
            ByteBuffer b = ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 4) {
                int fieldId = b.getShort() & 0xFFFF;
                int length = b.getShort() & 0xFFFF;
                if (length > b.remaining()) {
                    throw corrupt("an entry has a malformed extra field");
                }
                if (fieldId == id) {
                    return b.slice(b.position(), length).order(ByteOrder.LITTLE_ENDIAN);
                }
                b.position(b.position() + length);
            }
            return null;
        }
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }

    /** Counts bytes consumed, to prove the central directory holds exactly its declared entries. */
    private static final class CountingInput extends java.io.FilterInputStream {
        long count;

        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
