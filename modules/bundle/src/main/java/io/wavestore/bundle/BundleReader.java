package io.wavestore.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Opens {@code .wave} bundles: checks the archive, the manifest and the files it promises, and extracts the
 * lot. Everything that can be judged from the central directory and app.toml is judged before anything is
 * written, so most bad bundles cost no disk at all. Thread-safe; each call works on its own files.
 */
public final class BundleReader {
    public static final String MANIFEST = "app.toml";
    public static final String REQUIREMENTS = "requirements.txt";
    public static final String PACKAGES = "packages.txt";
    static final String STATIC = "static/";

    private final BundleLimits limits;
    private final ManifestParser parser;

    public BundleReader(BundleLimits limits, ManifestPolicy policy) {
        this.limits = limits;
        this.parser = new ManifestParser(policy);
    }

    /**
     * Checks {@code waveFile} completely and extracts it into {@code extractInto}, which must be empty or
     * missing (then it is created). On any failure, what was extracted is removed again (and the directory,
     * if this call created it).
     *
     * @throws BundleException the bundle is refused; {@link BundleException#error()} says why
     * @throws IOException     the bundle could not be read or the files not written
     */
    public OpenedBundle open(Path waveFile, Path extractInto) throws BundleException, IOException {
        boolean created = prepareEmptyDirectory(extractInto);
        Path root = extractInto.toRealPath();
        try (ZipArchive zip = ZipArchive.open(waveFile, limits)) {
            AppManifest manifest = manifest(zip);
            Optional<ZipEntryRecord> longDescription = longDescriptionEntry(zip, manifest);
            Optional<ZipEntryRecord> icon = iconEntry(zip);
            List<ZipEntryRecord> screenshots = screenshotEntries(zip);
            for (ZipEntryRecord entry : zip.entries()) {
                extract(zip, entry, root);
            }
            OpenedBundle opened = new OpenedBundle(manifest, root,
                    icon.isPresent() ? Optional.of(image(icon.get(), root)) : Optional.empty(),
                    images(screenshots, root),
                    longDescription.isPresent() ? Optional.of(longDescription(root, longDescription.get()))
                            : Optional.empty(),
                    rootFile(zip, root, REQUIREMENTS), rootFile(zip, root, PACKAGES));
            checkModule(zip, manifest);
            return opened;
        } catch (BundleException | IOException | RuntimeException e) {
            removeExtracted(root, created, e);
            throw e;
        }
    }

    /**
     * Checks the archive as {@link #open} does, inflating every entry to count its bytes and check its CRC,
     * and returns the manifest, but writes nothing. Images and the long description's text are only checked
     * by {@link #open}.
     */
    public AppManifest readManifest(Path waveFile) throws BundleException, IOException {
        try (ZipArchive zip = ZipArchive.open(waveFile, limits)) {
            AppManifest manifest = manifest(zip);
            longDescriptionEntry(zip, manifest);
            for (ZipEntryRecord entry : zip.entries()) {
                zip.copy(entry, OutputStream.nullOutputStream());
            }
            checkModule(zip, manifest);
            return manifest;
        }
    }

    private AppManifest manifest(ZipArchive zip) throws BundleException, IOException {
        ZipEntryRecord entry = zip.find(MANIFEST).filter(e -> !e.directory())
                .orElseThrow(() -> new BundleException(BundleError.MISSING_MANIFEST, missingManifestMessage(zip)));
        byte[] bytes = zip.read(entry, ManifestParser.MAX_MANIFEST_BYTES, MANIFEST);
        String toml;
        try {
            toml = strictUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw new BundleException(BundleError.UNPARSABLE_MANIFEST, "app.toml is not UTF-8 text", e);
        }
        return parser.parse(toml);
    }

    /** Last, so that what is wrong with the archive itself (a bomb, a bad image) is what a bundle is refused for. */
    private static void checkModule(ZipArchive zip, AppManifest manifest) throws BundleException {
        List<String> files = zip.entries().stream().filter(e -> !e.directory()).map(ZipEntryRecord::name).toList();
        Optional<FieldViolation> missing = ModuleFiles.check(manifest, files);
        if (missing.isPresent()) {
            throw BundleException.invalidManifest(List.of(missing.get()));
        }
    }

    /** Says where app.toml is when it is not at the root, because that is the usual packing mistake. */
    private static String missingManifestMessage(ZipArchive zip) {
        List<String> names = zip.entries().stream().map(ZipEntryRecord::name).collect(Collectors.toList());
        if (names.contains(MANIFEST + "/")) {
            return "app.toml is a folder; it must be a file at the root of the bundle";
        }
        Optional<String> wrongCase = names.stream().filter(n -> n.equalsIgnoreCase(MANIFEST)).findFirst();
        if (wrongCase.isPresent()) {
            return "the bundle has '" + EntryNames.printable(wrongCase.get())
                    + "' but no app.toml; the name is case-sensitive";
        }
        Optional<String> nested = names.stream()
                .filter(n -> n.endsWith("/" + MANIFEST) && n.indexOf('/') == n.length() - MANIFEST.length() - 1)
                .findFirst();
        if (nested.isPresent()) {
            String folder = nested.get().substring(0, nested.get().indexOf('/'));
            return "app.toml must be at the root of the bundle, but it is at '" + EntryNames.printable(nested.get())
                    + "': pack the contents of the folder '" + EntryNames.printable(folder) + "', not the folder";
        }
        return "the bundle has no app.toml at its root";
    }

    private static Optional<ZipEntryRecord> longDescriptionEntry(ZipArchive zip, AppManifest manifest)
            throws BundleException {
        Optional<String> path = manifest.app().longDescriptionPath();
        if (path.isEmpty()) {
            return Optional.empty();
        }
        Optional<ZipEntryRecord> entry = zip.find(path.get()).filter(e -> !e.directory());
        if (entry.isEmpty()) {
            throw new BundleException(BundleError.MISSING_FILE, "App.LongDescription names '"
                    + EntryNames.printable(path.get()) + "', which is not a file in the bundle");
        }
        return entry;
    }

    private String longDescription(Path root, ZipEntryRecord entry) throws BundleException, IOException {
        Path file = root.resolve(entry.name());
        long size = Files.size(file);
        if (size > limits.maxLongDescriptionBytes()) {
            throw new BundleException(BundleError.INVALID_LONG_DESCRIPTION, "'" + entry.name() + "' is " + size
                    + " bytes; a long description may have at most " + limits.maxLongDescriptionBytes());
        }
        try {
            String text = strictUtf8(Files.readAllBytes(file));
            if (text.indexOf('\0') >= 0) {
                throw new BundleException(BundleError.INVALID_LONG_DESCRIPTION,
                        "'" + entry.name() + "' is binary, not markdown text");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new BundleException(BundleError.INVALID_LONG_DESCRIPTION,
                    "'" + entry.name() + "' is not UTF-8 text", e);
        }
    }

    /** {@code static/icon.<ext>}; several of them would make the choice arbitrary, so that is refused. */
    private Optional<ZipEntryRecord> iconEntry(ZipArchive zip) throws BundleException {
        List<ZipEntryRecord> icons = staticFiles(zip).filter(e -> baseName(e.name()).equals("icon"))
                .collect(Collectors.toList());
        if (icons.size() > 1) {
            throw new BundleException(BundleError.INVALID_IMAGE, "the bundle has several icons ("
                    + icons.stream().map(ZipEntryRecord::name).sorted().collect(Collectors.joining(", "))
                    + "); keep exactly one static/icon.*");
        }
        for (ZipEntryRecord icon : icons) {
            checkDeclaredImageSize(icon);
        }
        return icons.stream().findFirst();
    }

    private List<ZipEntryRecord> screenshotEntries(ZipArchive zip) throws BundleException {
        List<ZipEntryRecord> shots = staticFiles(zip).filter(e -> baseName(e.name()).startsWith("screenshot"))
                .sorted(Comparator.comparing(ZipEntryRecord::name, NaturalOrder.INSTANCE))
                .collect(Collectors.toList());
        if (shots.size() > limits.maxScreenshots()) {
            throw new BundleException(BundleError.TOO_MANY_SCREENSHOTS, "the bundle has " + shots.size()
                    + " screenshots; at most " + limits.maxScreenshots() + " are allowed");
        }
        for (ZipEntryRecord shot : shots) {
            checkDeclaredImageSize(shot);
        }
        return shots;
    }

    /** Declared sizes are exact by the time this matters: extraction refuses any entry that differs. */
    private void checkDeclaredImageSize(ZipEntryRecord entry) throws BundleException {
        if (entry.size() > limits.maxImageBytes()) {
            throw new BundleException(BundleError.INVALID_IMAGE, "'" + EntryNames.printable(entry.name())
                    + "' is " + entry.size() + " bytes; images may have at most " + limits.maxImageBytes());
        }
    }

    private static Stream<ZipEntryRecord> staticFiles(ZipArchive zip) {
        return zip.entries().stream().filter(e -> !e.directory() && e.name().startsWith(STATIC)
                && e.name().indexOf('/', STATIC.length()) < 0);
    }

    /** File name without folder and extension, lower-cased: {@code static/Icon.PNG} gives {@code icon}. */
    private static String baseName(String path) {
        String file = path.substring(path.lastIndexOf('/') + 1);
        int dot = file.lastIndexOf('.');
        return (dot > 0 ? file.substring(0, dot) : file + "\0no-extension").toLowerCase(Locale.ROOT);
    }

    private List<BundleImage> images(List<ZipEntryRecord> entries, Path root) throws BundleException, IOException {
        List<BundleImage> images = new ArrayList<>();
        for (ZipEntryRecord entry : entries) {
            images.add(image(entry, root));
        }
        return images;
    }

    private BundleImage image(ZipEntryRecord entry, Path root) throws BundleException, IOException {
        Path file = root.resolve(entry.name());
        byte[] content = Files.readAllBytes(file);
        ImageProbe.ImageInfo info = ImageProbe.probe(entry.name(), content, limits);
        return new BundleImage(entry.name(), info.mediaType(), file, content.length, info.width(), info.height());
    }

    private static Optional<Path> rootFile(ZipArchive zip, Path root, String name) {
        return zip.find(name).filter(e -> !e.directory()).map(e -> root.resolve(name));
    }

    private static void extract(ZipArchive zip, ZipEntryRecord entry, Path root) throws BundleException, IOException {
        Path target = root.resolve(entry.name()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            // Names were checked already; this guards the guard.
            throw new BundleException(BundleError.ENTRY_ESCAPES_ROOT, "'" + entry.name() + "' escapes the bundle");
        }
        if (entry.directory()) {
            Files.createDirectories(target);
            return;
        }
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            zip.copy(entry, out);
        }
    }

    /** Returns whether the directory was created; refuses a non-empty one, which we must not mix into. */
    private static boolean prepareEmptyDirectory(Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir)) {
                throw new NotDirectoryException(dir.toString());
            }
            try (Stream<Path> children = Files.list(dir)) {
                if (children.findAny().isPresent()) {
                    throw new DirectoryNotEmptyException(dir.toString());
                }
            }
            return false;
        }
        Files.createDirectories(dir);
        return true;
    }

    private static void removeExtracted(Path root, boolean created, Exception failure) {
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            for (Path p : paths) {
                if (created || !p.equals(root)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
