package io.wavestore.bundle;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.GeneralPurposeBit;
import org.apache.commons.compress.archivers.zip.UnicodePathExtraField;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipMethod;

/**
 * The store's rules for the entries Commons Compress reads from the central directory: what one entry may
 * be, then what the entries may be together. All of it is judged before a byte is inflated.
 */
final class EntryPolicy {
    private static final int S_IFMT = 0xF000;
    private static final int S_IFLNK = 0xA000;
    private static final int S_IFREG = 0x8000;
    private static final int S_IFDIR = 0x4000;

    private EntryPolicy() {}

    /** Checks one entry's name, kind, encryption and method; its data offset is already resolved. */
    static ZipEntryRecord record(ZipArchiveEntry entry) throws BundleException {
        String name = decodeName(entry.getRawName(), entry.getGeneralPurposeBit());
        String shown = "'" + EntryNames.printable(name) + "'";
        if (entry.getExtraField(UnicodePathExtraField.UPATH_ID) instanceof UnicodePathExtraField unicodePath
                && unicodePath.getUnicodeName() != null && unicodePath.getUnicodeName().length > 0
                && !new String(unicodePath.getUnicodeName(), StandardCharsets.UTF_8).equals(name)) {
            // Some unzip tools prefer this second name; it must not differ from the one checked here.
            throw new BundleException(BundleError.INVALID_ENTRY_NAME,
                    shown + " carries a different second name in its Unicode path field");
        }
        GeneralPurposeBit flags = entry.getGeneralPurposeBit();
        if (flags.usesEncryption() || flags.usesStrongEncryption()) {
            throw new BundleException(BundleError.ENCRYPTED_ENTRY,
                    shown + " is encrypted; bundles must not be password-protected");
        }
        int method = entry.getMethod();
        if (method != ZipMethod.STORED.getCode() && method != ZipMethod.DEFLATED.getCode()) {
            // Commons Compress would inflate bzip2, xz and more; bundles from any common tool use neither.
            throw new BundleException(BundleError.UNSUPPORTED_ZIP, shown + " uses compression method "
                    + method + "; only stored (0) and deflated (8) are supported");
        }
        EntryNames.Problem problem = EntryNames.entryNameProblem(name);
        if (problem != null) {
            throw new BundleException(problem.error(), "entry " + problem.message());
        }
        boolean directory = name.endsWith("/");
        checkKind(shown, directory, entry);
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (directory && (size != 0 || compressed > 2)) {
            throw corrupt(shown + " is a folder with content");
        }
        if (compressed < 0 || size < 0 || entry.getLocalHeaderOffset() < 0) {
            throw corrupt(shown + " declares impossible sizes");
        }
        if (method == ZipMethod.STORED.getCode() && compressed != size) {
            throw corrupt(shown + " is stored uncompressed but declares two different sizes");
        }
        return new ZipEntryRecord(name, directory, method, entry.getCrc(), compressed, size,
                entry.getLocalHeaderOffset(), entry.getDataOffset());
    }

    /**
     * Only files and folders. The Unix mode is read from the external attributes whatever host the archive
     * claims, because the host byte is the archive's own claim: Commons Compress's getUnixMode() and
     * isUnixSymlink() answer 0 and false unless the host is Unix (measured on the archive of
     * HostileArchiveTest.refusesSymlinksWhateverHostTheArchiveClaims, a symlink mode under an MS-DOS host).
     */
    private static void checkKind(String shown, boolean directory, ZipArchiveEntry entry) throws BundleException {
        int type = (int) (entry.getExternalAttributes() >>> 16) & S_IFMT;
        if (type == S_IFLNK) {
            throw new BundleException(BundleError.SYMLINK_ENTRY,
                    shown + " is a symbolic link; bundles may hold only files and folders");
        }
        if (type != 0 && type != S_IFREG && type != S_IFDIR) {
            throw new BundleException(BundleError.UNSUPPORTED_ZIP,
                    shown + " is a device, pipe or socket; bundles may hold only files and folders");
        }
        if (type == S_IFDIR && !directory || type == S_IFREG && directory) {
            throw new BundleException(BundleError.INVALID_ENTRY_NAME, shown + " is marked as a "
                    + (directory ? "file" : "folder") + " but named as a " + (directory ? "folder" : "file"));
        }
    }

    /**
     * Names without the UTF-8 flag are officially CP437, but every tool in use writes ASCII or UTF-8 there;
     * anything else is refused rather than guessed, so all readers agree on the name. Commons Compress
     * would decode it with replacement characters, so the raw bytes are decoded here.
     */
    private static String decodeName(byte[] bytes, GeneralPurposeBit flags) throws BundleException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BundleException(BundleError.INVALID_ENTRY_NAME, "an entry name is not valid UTF-8"
                    + (flags.usesUTF8ForNames() ? " although it is flagged as UTF-8" : ""));
        }
    }

    /**
     * Refuses duplicate names, also up to case and Unicode form and also of folders (so "lib/a.py" and
     * "LIB/b.py" cannot land in one folder on macOS and two on Linux), then the declared size limits.
     */
    static void checkTogether(List<ZipEntryRecord> records, BundleLimits limits) throws BundleException {
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

    private static BundleException corrupt(String message) {
        return new BundleException(BundleError.CORRUPT_ARCHIVE, message);
    }
}
