package io.wavestore.bundle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Tells an image's type from its magic bytes and reads its dimensions from its header, without decoding
 * pixels (decoders are where image exploits live, and the store only needs to serve the bytes). The file
 * name's extension must agree with the content, so a browser never sniffs one type served as another.
 * SVG is refused on purpose: it is XML that can carry script.
 */
final class ImageProbe {

    record ImageInfo(String mediaType, int width, int height) {}

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final Map<String, String> EXTENSIONS = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif", "webp", "image/webp");

    private ImageProbe() {}

    /** Checks {@code content} of bundle file {@code path} against the limits and returns what it is. */
    static ImageInfo probe(String path, byte[] content, BundleLimits limits) throws BundleException {
        String shown = "'" + EntryNames.printable(path) + "'";
        if (content.length > limits.maxImageBytes()) {
            throw invalid(shown + " is " + content.length + " bytes; images may have at most "
                    + limits.maxImageBytes());
        }
        ImageInfo info = detect(content);
        if (info == null) {
            throw invalid(shown + (looksLikeSvg(content)
                    ? " is an SVG image, which is refused because it can carry script; use PNG, JPEG, GIF or WebP"
                    : " is not a PNG, JPEG, GIF or WebP image"));
        }
        String extension = extension(path);
        String declared = EXTENSIONS.get(extension);
        if (!info.mediaType().equals(declared)) {
            throw invalid(shown + " holds " + info.mediaType() + (extension.isEmpty() ? " but its name has no extension"
                    : " but its name ends in '." + extension + "'"));
        }
        if (info.width() <= 0 || info.height() <= 0) {
            throw invalid(shown + " has no pixels (" + info.width() + "x" + info.height() + ")");
        }
        if ((long) info.width() * info.height() > limits.maxImagePixels()) {
            throw invalid(shown + " is " + info.width() + "x" + info.height() + " pixels; images may have at most "
                    + limits.maxImagePixels() + " pixels");
        }
        return info;
    }

    /** The type and size, or null when the content is none of the accepted formats or is cut short. */
    static ImageInfo detect(byte[] b) {
        try {
            if (startsWith(b, PNG)) {
                return png(b);
            }
            if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
                return jpeg(b);
            }
            if (startsWith(b, "GIF87a".getBytes(StandardCharsets.US_ASCII))
                    || startsWith(b, "GIF89a".getBytes(StandardCharsets.US_ASCII))) {
                ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                return new ImageInfo("image/gif", le.getShort(6) & 0xFFFF, le.getShort(8) & 0xFFFF);
            }
            if (b.length >= 16 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
                return webp(b);
            }
            return null;
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static ImageInfo png(byte[] b) {
        if (!ascii(b, 12, 4).equals("IHDR")) {
            return null;
        }
        ByteBuffer be = ByteBuffer.wrap(b);
        return new ImageInfo("image/png", dimension(be.getInt(16)), dimension(be.getInt(20)));
    }

    /** Walks the marker segments to the first start-of-frame, which holds the dimensions. */
    private static ImageInfo jpeg(byte[] b) {
        int i = 2;
        while (i + 3 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
                i += 2; // markers without a length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return null; // end of image or scan data before any frame header
            }
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            if (length < 2) {
                return null;
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (startOfFrame) {
                int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return new ImageInfo("image/jpeg", width, height);
            }
            i += 2 + length;
        }
        return null;
    }

    private static ImageInfo webp(byte[] b) {
        String chunk = ascii(b, 12, 4);
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        switch (chunk) {
            case "VP8 ": // lossy: a key frame's start code, then 14-bit width and height
                if ((b[23] & 0xFF) != 0x9D || (b[24] & 0xFF) != 0x01 || (b[25] & 0xFF) != 0x2A) {
                    return null;
                }
                return new ImageInfo("image/webp", le.getShort(26) & 0x3FFF, le.getShort(28) & 0x3FFF);
            case "VP8L": { // lossless: signature 0x2F, then width-1 and height-1 in 14 bits each
                if ((b[20] & 0xFF) != 0x2F) {
                    return null;
                }
                int bits = le.getInt(21);
                return new ImageInfo("image/webp", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
            }
            case "VP8X": // extended: canvas width-1 and height-1 in 24 bits each
                return new ImageInfo("image/webp", u24(b, 24) + 1, u24(b, 27) + 1);
            default:
                return null;
        }
    }

    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash ? path.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    private static boolean looksLikeSvg(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        return head.contains("<svg");
    }

    /** PNG stores dimensions as unsigned 31-bit numbers; anything larger is as good as no image. */
    private static int dimension(int value) {
        return value < 0 ? 0 : value;
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] b, int from, int length) {
        return new String(b, from, length, StandardCharsets.ISO_8859_1);
    }

    private static BundleException invalid(String message) {
        return new BundleException(BundleError.INVALID_IMAGE, message);
    }
}
