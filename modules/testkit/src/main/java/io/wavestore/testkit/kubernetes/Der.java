package io.wavestore.testkit.kubernetes;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The few ASN.1 DER encodings an X.509 certificate needs. The JDK can sign and parse certificates but has no
 * public API to build one, and a whole crypto library is a lot to carry for three test certificates.
 */
final class Der {

    private Der() {
    }

    static byte[] sequence(byte[]... parts) {
        return tagged(0x30, concat(parts));
    }

    static byte[] set(byte[]... parts) {
        return tagged(0x31, concat(parts));
    }

    static byte[] integer(BigInteger value) {
        return tagged(0x02, value.toByteArray());
    }

    static byte[] bool(boolean value) {
        return tagged(0x01, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    static byte[] nul() {
        return new byte[] {0x05, 0x00};
    }

    static byte[] octetString(byte[] value) {
        return tagged(0x04, value);
    }

    static byte[] utf8String(String value) {
        return tagged(0x0c, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A BIT STRING of whole bytes (signatures, key identifiers). */
    static byte[] bitString(byte[] bytes) {
        byte[] content = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tagged(0x03, content);
    }

    /** A BIT STRING of named bits, bit 0 first (key usage), with the trailing zero bits dropped as DER wants. */
    static byte[] namedBits(int... bits) {
        int highest = 0;
        for (int bit : bits) {
            highest = Math.max(highest, bit);
        }
        byte[] bytes = new byte[highest / 8 + 1];
        for (int bit : bits) {
            bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        int unused = 7 - highest % 8;
        byte[] content = new byte[bytes.length + 1];
        content[0] = (byte) unused;
        System.arraycopy(bytes, 0, content, 1, bytes.length);
        return tagged(0x03, content);
    }

    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tagged(0x06, out.toByteArray());
    }

    /** UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks. */
    static byte[] time(ZonedDateTime when) {
        ZonedDateTime utc = when.withZoneSameInstant(ZoneOffset.UTC);
        if (utc.getYear() < 2050) {
            return tagged(0x17, utc.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
        }
        return tagged(0x18, utc.format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
    }

    /** A constructed, context-specific, explicit tag: [n] { content }. */
    static byte[] explicit(int tagNumber, byte[] content) {
        return tagged(0xa0 | tagNumber, content);
    }

    /** A primitive, context-specific, implicit tag: [n] raw bytes (GeneralName choices). */
    static byte[] implicit(int tagNumber, byte[] raw) {
        return tagged(0x80 | tagNumber, raw);
    }

    static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void base128(ByteArrayOutputStream out, long value) {
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
        for (int i = groups - 1; i >= 0; i--) {
            int septet = (int) ((value >>> (7 * i)) & 0x7f);
            out.write(i == 0 ? septet : septet | 0x80);
        }
    }
}
