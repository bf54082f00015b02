package io.wavestore.bundle;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip archives byte by byte, so tests can build what java.util.zip refuses to: duplicate names, Unix
 * symlink modes, lying sizes, mismatched local headers, overlapping data.
 */
final class RawZip {
    /** One entry; fields are public so a test can set the lie it needs after {@link #file}. */
    static final class Entry {
        String name;
        byte[] rawName;         // replaces the UTF-8 bytes of name in both headers, e.g. to write invalid UTF-8
        byte[] localName;       // replaces the name in the local header only
        byte[] gapBefore = new byte[0]; // bytes no central record accounts for, written before the local header
        byte[] data;            // bytes as stored in the archive (already deflated when method is 8)
        int method;
        long crc;
        long compressedSize;
        long size;
        int flags;
        int versionMadeBy = 20; // MS-DOS host, zip 2.0
        int externalAttributes;
        byte[] centralExtra = new byte[0];
        Long localOffsetOverride;
    }

    private final List<Entry> entries = new ArrayList<>();
    private byte[] prefix = new byte[0];
    private String comment = "";

    /** A deflated file with honest sizes and CRC. */
    Entry file(String name, byte[] content) {
        return add(name, content, true);
    }

    /** A stored (uncompressed) file with honest sizes and CRC. */
    Entry stored(String name, byte[] content) {
        return add(name, content, false);
    }

    Entry file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    Entry directory(String name) {
        return stored(name, new byte[0]);
    }

    /** A file whose Unix mode (external attributes, upper 16 bits) says symbolic link. */
    Entry symlink(String name, String target) {
        Entry e = stored(name, target.getBytes(StandardCharsets.UTF_8));
        e.versionMadeBy = (3 << 8) | 20; // Unix host
        e.externalAttributes = (0120777) << 16;
        return e;
    }

    RawZip comment(String text) {
        this.comment = text;
        return this;
    }

    private Entry add(String name, byte[] content, boolean deflate) {
        Entry e = new Entry();
        e.name = name;
        e.method = deflate ? 8 : 0;
        e.data = deflate ? deflate(content) : content;
        CRC32 crc = new CRC32();
        crc.update(content);
        e.crc = crc.getValue();
        e.compressedSize = e.data.length;
        e.size = content.length;
        entries.add(e);
        return e;
    }

    static byte[] deflate(byte[] content) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            out.writeBytes(e.gapBefore);
            offsets.add((long) out.size());
            byte[] name = e.localName != null ? e.localName : nameBytes(e);
            ByteBuffer h = le(30 + name.length);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) e.flags).putShort((short) e.method)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc).putInt((int) e.compressedSize)
                    .putInt((int) e.size).putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(h.array());
            out.writeBytes(e.data);
        }
        long directoryStart = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = nameBytes(e);
            long offset = e.localOffsetOverride != null ? e.localOffsetOverride : offsets.get(i);
            ByteBuffer h = le(46 + name.length + e.centralExtra.length);
            h.putInt(0x02014b50).putShort((short) e.versionMadeBy).putShort((short) 20).putShort((short) e.flags)
                    .putShort((short) e.method).putShort((short) 0).putShort((short) 0x21).putInt((int) e.crc)
                    .putInt((int) e.compressedSize).putInt((int) e.size).putShort((short) name.length)
                    .putShort((short) e.centralExtra.length).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(e.externalAttributes).putInt((int) offset).put(name)
                    .put(e.centralExtra);
            out.writeBytes(h.array());
        }
        long directorySize = out.size() - directoryStart;
        byte[] commentBytes = comment.getBytes(StandardCharsets.UTF_8);
        ByteBuffer end = le(22 + commentBytes.length);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) entries.size())
                .putShort((short) entries.size()).putInt((int) directorySize).putInt((int) directoryStart)
                .putShort((short) commentBytes.length).put(commentBytes);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static byte[] nameBytes(Entry e) {
        return e.rawName != null ? e.rawName : e.name.getBytes(StandardCharsets.UTF_8);
    }

    /** A complete local header plus stored data, as a streaming unzipper would read it. */
    static byte[] localEntry(String name, byte[] content) {
        RawZip zip = new RawZip();
        zip.stored(name, content);
        byte[] all = zip.bytes();
        return java.util.Arrays.copyOf(all, 30 + name.length() + content.length);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
