package io.wavestore.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageProbeTest {
    private final BundleLimits limits = BundleLimits.defaults();

    @Test
    void readsTypeAndSizeOfEveryAcceptedFormat() throws Exception {
        assertThat(ImageProbe.probe("static/icon.png", Fixtures.png(64, 48), limits))
                .isEqualTo(new ImageProbe.ImageInfo("image/png", 64, 48));
        assertThat(ImageProbe.probe("static/a.jpg", Fixtures.jpeg(30, 20), limits))
                .isEqualTo(new ImageProbe.ImageInfo("image/jpeg", 30, 20));
        assertThat(ImageProbe.probe("static/a.JPEG", Fixtures.jpeg(7, 9), limits).mediaType()).isEqualTo("image/jpeg");
        assertThat(ImageProbe.probe("static/a.gif", Fixtures.gif(12, 34), limits))
                .isEqualTo(new ImageProbe.ImageInfo("image/gif", 12, 34));
        assertThat(ImageProbe.probe("static/a.webp", Fixtures.webpLossless(300, 200), limits))
                .isEqualTo(new ImageProbe.ImageInfo("image/webp", 300, 200));
        assertThat(ImageProbe.probe("static/a.webp", Fixtures.webpLossy(640, 480), limits))
                .isEqualTo(new ImageProbe.ImageInfo("image/webp", 640, 480));
        assertThat(ImageProbe.probe("static/a.webp", Fixtures.webpExtended(4000, 3000), limits))
                .isEqualTo(new ImageProbe.ImageInfo("image/webp", 4000, 3000));
    }

    @Test
    void refusesSvgSayingWhy() {
        byte[] svg = Fixtures.text("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\">"
                + "<script>alert(1)</script></svg>");
        assertThat(refused("static/icon.svg", svg).getMessage()).contains("SVG", "script");
        assertThat(refused("static/icon.png", svg).getMessage()).contains("SVG");
    }

    @Test
    void refusesOtherContent() {
        assertThat(refused("static/icon.png", Fixtures.text("hello")).getMessage())
                .contains("not a PNG, JPEG, GIF or WebP");
        assertThat(refused("static/icon.bmp", new byte[] {'B', 'M', 0, 0, 0, 0}).getMessage())
                .contains("not a PNG");
        assertThat(refused("static/icon.png", new byte[0]).getMessage()).contains("not a PNG");
    }

    @Test
    void refusesTruncatedHeaders() {
        byte[] png = Fixtures.png(10, 10);
        assertThat(refused("static/icon.png", Arrays.copyOf(png, 18)).getMessage()).contains("not a PNG");
        byte[] jpeg = Fixtures.jpeg(10, 10);
        assertThat(refused("static/icon.jpg", Arrays.copyOf(jpeg, 30)).getMessage()).contains("not a PNG");
    }

    @Test
    void refusesContentThatDisagreesWithTheExtension() {
        assertThat(refused("static/icon.png", Fixtures.jpeg(10, 10)).getMessage())
                .contains("holds image/jpeg but its name ends in '.png'");
        assertThat(refused("static/icon", Fixtures.png(10, 10)).getMessage()).contains("holds image/png");
    }

    @Test
    void refusesImagesOverTheLimits() {
        BundleLimits small = new BundleLimits(100, 1 << 20, 1 << 20, 100, 2000, 100 * 100, 3, 1000);
        assertThat(catchThrowableOfType(BundleException.class,
                () -> ImageProbe.probe("static/a.png", Fixtures.png(101, 100), small)).getMessage())
                .contains("101x100 pixels", "at most 10000 pixels");
        assertThat(catchThrowableOfType(BundleException.class,
                () -> ImageProbe.probe("static/a.png", new byte[2001], small)).getMessage())
                .contains("2001 bytes", "at most 2000");
        // Headers claiming absurd sizes are judged by the claim: nothing is decoded.
        assertThat(refused("static/a.webp", Fixtures.webpExtended(1 << 24, 1 << 24)).getMessage()).contains("pixels");
    }

    private BundleException refused(String path, byte[] content) {
        BundleException e = catchThrowableOfType(BundleException.class, () -> ImageProbe.probe(path, content, limits));
        assertThat(e).as(path).isNotNull();
        assertThat(e.error()).isEqualTo(BundleError.INVALID_IMAGE);
        return e;
    }
}
