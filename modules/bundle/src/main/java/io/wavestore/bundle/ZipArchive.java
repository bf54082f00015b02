package io.wavestore.bundle;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.ZipException;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.InputStreamStatistics;

/**
 * A zip archive read defensively. Commons Compress reads the structure (central directory, ZIP64, data
 * descriptors, extra fields) and inflates; {@link ZipEndRecord} and {@link ZipLayout} add the few structural
 * checks it does not make, {@link EntryPolicy} the store's rules for entries. Everything is refused before a
 * byte is inflated; inflating then counts the bytes it actually produces against the limits, because
 * declared sizes are claims.
 */
final class ZipArchive implements Closeable {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final ZipFile zip;
    private final BundleLimits limits;
    private final Map<String, ZipEntryRecord> entries;
    private final Map<String, ZipArchiveEntry> sources;
    private long inflatedBytes;

    private ZipArchive(ZipFile zip, BundleLimits limits, Map<String, ZipEntryRecord> entries,
                       Map<String, ZipArchiveEntry> sources) {
        this.zip = zip;
        this.limits = limits;
        this.entries = entries;
        this.sources = sources;
    }

    /** Opens and checks {@code file}: structure, names, types, duplicates and declared sizes. */
    static ZipArchive open(Path file, BundleLimits limits) throws BundleException, IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        ZipFile zip = null;
        try {
            ZipEndRecord end = ZipEndRecord.read(channel, limits);
            zip = readDirectory(channel);
            List<ZipArchiveEntry> found = Collections.list(zip.getEntries());
            if (found.size() != end.entryCount()) {
                throw corrupt("the central directory holds " + found.size() + " entries but declares "
                        + end.entryCount());
            }
            List<ZipEntryRecord> records = new ArrayList<>(found.size());
            for (ZipArchiveEntry entry : found) {
                records.add(EntryPolicy.record(entry));
            }
            EntryPolicy.checkTogether(records, limits);
            ZipLayout.check(channel, records, end.directoryOffset());
            Map<String, ZipEntryRecord> byName = new LinkedHashMap<>();
            Map<String, ZipArchiveEntry> sources = new LinkedHashMap<>();
            for (int i = 0; i < records.size(); i++) {
                byName.put(records.get(i).name(), records.get(i));
                sources.put(records.get(i).name(), found.get(i));
            }
            return new ZipArchive(zip, limits, byName, sources);
        } catch (BundleException | IOException | RuntimeException e) {
            if (zip != null) {
                zip.close();
            }
            channel.close();
            throw e;
        }
    }

    /**
     * Commons Compress over the channel whose end records were just read, so what it still cannot read (an
     * entry pointing past the end of the file, a broken extra field) is a damaged archive. It closes the
     * channel when it fails.
     */
    private static ZipFile readDirectory(FileChannel channel) throws BundleException {
        try {
            return ZipFile.builder().setSeekableByteChannel(channel).setUseUnicodeExtraFields(false).get();
        } catch (IOException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BundleException(BundleError.CORRUPT_ARCHIVE, "the archive is damaged: " + cause.getMessage(), e);
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
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[BUFFER_BYTES];
        long before = inflatedBytes;
        long written = 0;
        try (InputStream in = zip.getInputStream(sources.get(entry.name()))) {
            // Commons Compress counts the compressed bytes its stored and deflated streams consume.
            InputStreamStatistics statistics = (InputStreamStatistics) in;
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                checkProgress(entry, before, written, statistics.getCompressedCount());
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (ZipException | EOFException e) {
            throw new BundleException(BundleError.CORRUPT_ARCHIVE,
                    "'" + entry.name() + "' has broken compressed data: " + e.getMessage(), e);
        }
        if (written != entry.size()) {
            throw corrupt("'" + entry.name() + "' holds " + written + " bytes but declares " + entry.size());
        }
        if (crc.getValue() != entry.crc()) {
            throw corrupt("'" + entry.name() + "' fails its CRC check");
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
        zip.close();
    }

    private static BundleException corrupt(String message) {
        return new BundleException(BundleError.CORRUPT_ARCHIVE, message);
    }
}
