package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Zip features real tools write, which bundles may use: ZIP64 records, data descriptors, Unix modes. */
class ZipFormatsTest {
    private static final byte[] ZIP64_END_SIGNATURE = {'P', 'K', 6, 6};
    private static final byte[] DATA_DESCRIPTOR_SIGNATURE = {'P', 'K', 7, 8};

    @TempDir
    Path tmp;

    private final BundleReader reader = new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults());

    @Test
    void opensAZip64ArchiveWrittenToAFile() throws Exception {
        Path wave = tmp.resolve("zip64.wave");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(wave)) {
            zip.setUseZip64(Zip64Mode.Always);
            writeBundle(zip);
        }
        assertThat(contains(Files.readAllBytes(wave), ZIP64_END_SIGNATURE)).isTrue();
        assertOpensCompletely(wave);
    }

    @Test
    void opensAZip64ArchiveWithDataDescriptorsWrittenToAStream() throws Exception {
        // Streamed entries carry their sizes in 24-byte ZIP64 data descriptors after their data.
        assertOpensCompletely(streamed(Zip64Mode.Always));
    }

    @Test
    void opensPlainDataDescriptorsWrittenToAStream() throws Exception {
        assertOpensCompletely(streamed(Zip64Mode.Never));
    }

    @Test
    void refusesASymlinkWrittenByARealTool() throws Exception {
        Path wave = tmp.resolve("link.wave");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(wave)) {
            writeBundle(zip);
            ZipArchiveEntry link = new ZipArchiveEntry("static/icon.png");
            link.setUnixMode(0120777);
            put(zip, link, Fixtures.text("/etc/passwd"));
        }
        BundleException e = catchThrowableOfType(BundleException.class, () -> reader.readManifest(wave));
        assertThat(e.error()).isEqualTo(BundleError.SYMLINK_ENTRY);
    }

    @Test
    void refusesAZip64FieldTooShortForTheSizeItStandsFor() throws Exception {
        RawZip zip = new RawZip();
        zip.file("app.toml", Fixtures.MANIFEST);
        RawZip.Entry entry = zip.stored("big.bin", new byte[10]);
        entry.size = 0xFFFFFFFFL; // "see the zip64 field", which holds 4 bytes instead of 8
        entry.centralExtra = new byte[] {1, 0, 4, 0, 10, 0, 0, 0};
        Path wave = Fixtures.write(tmp.resolve("short-zip64.wave"), zip.bytes());
        BundleException e = catchThrowableOfType(BundleException.class, () -> reader.readManifest(wave));
        assertThat(e.error()).as(String.valueOf(e)).isEqualTo(BundleError.CORRUPT_ARCHIVE);
    }

    /** A valid bundle with Unix modes on its files and folders, as zip(1) on Linux writes them. */
    private static void writeBundle(ZipArchiveOutputStream zip) throws IOException {
        put(zip, unix("app.toml", 0100644), Fixtures.text(Fixtures.MANIFEST));
        put(zip, unix("README.md", 0100644), Fixtures.text("# Test\n"));
        put(zip, unix("app.py", 0100644), Fixtures.text("from lib import app\n"));
        put(zip, unix("lib/", 040755), new byte[0]);
        put(zip, unix("lib/app.py", 0100755), Fixtures.text("print('hi')\n".repeat(1000)));
    }

    private static ZipArchiveEntry unix(String name, int mode) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setUnixMode(mode);
        return entry;
    }

    private static void put(ZipArchiveOutputStream zip, ZipArchiveEntry entry, byte[] content) throws IOException {
        zip.putArchiveEntry(entry);
        zip.write(content);
        zip.closeArchiveEntry();
    }

    private void assertOpensCompletely(Path wave) throws Exception {
        assertThat(reader.readManifest(wave).app().name()).isEqualTo("test-app");
        OpenedBundle opened = reader.open(wave, tmp.resolve("out"));
        assertThat(opened.longDescription()).contains("# Test\n");
        assertThat(opened.root().resolve("lib/app.py")).hasContent("print('hi')\n".repeat(1000));
    }

    /** A bundle written where the writer cannot seek back, so each entry ends with a data descriptor. */
    private Path streamed(Zip64Mode mode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream unseekable = new OutputStream() {
            @Override
            public void write(int b) {
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes.write(b, off, len);
            }
        };
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(unseekable)) {
            zip.setUseZip64(mode);
            writeBundle(zip);
        }
        assertThat(contains(bytes.toByteArray(), DATA_DESCRIPTOR_SIGNATURE)).isTrue();
        return Fixtures.write(tmp.resolve("streamed-" + mode + ".wave"), bytes.toByteArray());
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
