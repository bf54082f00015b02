package io.wavestore.bundle;

import static io.wavestore.bundle.Fixtures.assertRefusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.OutputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Highly compressible archives: refused from their declared numbers, or after one buffer when they lie. */
class ZipBombTest {
    private static final int BOMB_SIZE = 64 << 20;
    private static byte[] deflatedZeros;
    private static long crcOfZeros;

    @TempDir
    Path tmp;

    @BeforeAll
    static void compressOnce() {
        byte[] zeros = new byte[BOMB_SIZE];
        deflatedZeros = RawZip.deflate(zeros);
        CRC32 crc = new CRC32();
        crc.update(zeros);
        crcOfZeros = crc.getValue();
        assertThat(deflatedZeros.length).isLessThan(BOMB_SIZE / 500);
    }

    /** 64 MiB of zeros in about 64 KiB, with sizes as declared or as given. */
    private static RawZip bomb(long declaredSize) {
        RawZip zip = new RawZip();
        zip.file("app.toml", Fixtures.MANIFEST);
        zip.file("README.md", "# Bomb");
        RawZip.Entry e = zip.file("bomb.bin", new byte[0]);
        e.data = deflatedZeros;
        e.compressedSize = deflatedZeros.length;
        e.size = declaredSize;
        e.crc = crcOfZeros;
        return zip;
    }

    @Test
    void anHonestBombIsRefusedBeforeInflatingAnything() throws Exception {
        Path wave = Fixtures.write(tmp.resolve("bomb.wave"), bomb(BOMB_SIZE).bytes());
        BundleException e = catchThrowableOfType(BundleException.class,
                () -> ZipArchive.open(wave, BundleLimits.defaults()));
        assertThat(e.error()).isEqualTo(BundleError.COMPRESSION_RATIO);
        assertThat(e.getMessage()).contains("'bomb.bin' declares 67108864 bytes", "zip bomb");
    }

    @Test
    void aBombLyingAboutItsSizeIsStoppedByTheBytesActuallyInflated() throws Exception {
        // Declares 5 MiB, which passes the declared ratio check; really inflates to 64 MiB.
        Path wave = Fixtures.write(tmp.resolve("liar.wave"), bomb(5L << 20).bytes());
        try (ZipArchive zip = ZipArchive.open(wave, BundleLimits.defaults())) {
            ZipEntryRecord entry = zip.find("bomb.bin").orElseThrow();
            BundleException e = catchThrowableOfType(BundleException.class,
                    () -> zip.copy(entry, OutputStream.nullOutputStream()));
            assertThat(e.error()).isEqualTo(BundleError.COMPRESSION_RATIO);
            assertThat(zip.inflatedBytes()).isGreaterThan(BundleLimits.RATIO_GRACE_BYTES)
                    .isLessThan(BundleLimits.RATIO_GRACE_BYTES + (128 << 10));
        }
    }

    @Test
    void aLyingBombIsRefusedByOpenAndLeavesNothing() throws Exception {
        Path wave = Fixtures.write(tmp.resolve("liar.wave"), bomb(5L << 20).bytes());
        Path out = tmp.resolve("out");
        BundleException e = catchThrowableOfType(BundleException.class,
                () -> new BundleReader(BundleLimits.defaults(), ManifestPolicy.defaults()).open(wave, out));
        assertThat(e.error()).isEqualTo(BundleError.COMPRESSION_RATIO);
        assertThat(out).doesNotExist();
    }

    @Test
    void withoutARatioLimitTheDeclaredSizeStillCapsInflation() throws Exception {
        BundleLimits noRatio = new BundleLimits(100, 1L << 30, 512L << 20, 1e9, 1 << 20, 1 << 20, 5, 1 << 20);
        Path wave = Fixtures.write(tmp.resolve("liar.wave"), bomb(1L << 20).bytes());
        try (ZipArchive zip = ZipArchive.open(wave, noRatio)) {
            BundleException e = catchThrowableOfType(BundleException.class,
                    () -> zip.copy(zip.find("bomb.bin").orElseThrow(), OutputStream.nullOutputStream()));
            assertThat(e.error()).isEqualTo(BundleError.CORRUPT_ARCHIVE);
            assertThat(zip.inflatedBytes()).isLessThan((1L << 20) + (128 << 10));
        }
    }

    @Test
    void aBombUnderTheRatioIsStoppedByTheSizeLimits() throws Exception {
        BundleLimits small = new BundleLimits(100, 8L << 20, 4L << 20, 1e9, 1 << 20, 1 << 20, 5, 1 << 20);
        Path wave = Fixtures.write(tmp.resolve("bomb.wave"), bomb(BOMB_SIZE).bytes());
        BundleException e = catchThrowableOfType(BundleException.class, () -> ZipArchive.open(wave, small));
        assertThat(e.error()).isEqualTo(BundleError.TOO_LARGE);
    }

    @Test
    void manySmallBombsAreStoppedByTheTotal() throws Exception {
        // Each entry stays under the ratio grace; together they pass the total.
        byte[] mebibyteOfZeros = new byte[1 << 20];
        RawZip zip = new RawZip();
        zip.file("app.toml", Fixtures.MANIFEST);
        for (int i = 0; i < 20; i++) {
            zip.file("part" + i + ".bin", mebibyteOfZeros);
        }
        BundleLimits limits = new BundleLimits(100, 10L << 20, 4L << 20, 100, 1 << 20, 1 << 20, 5, 1 << 20);
        Path wave = Fixtures.write(tmp.resolve("parts.wave"), zip.bytes());
        assertRefusal(catchThrowableOfType(BundleException.class, () -> ZipArchive.open(wave, limits)),
                BundleError.TOO_LARGE, "declares more than 10485760 bytes");
    }
}
