package io.wavestore.bundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Positional little-endian reads for the few zip records the store checks itself (see {@link ZipEndRecord}). */
final class ChannelReads {
    private ChannelReads() {}

    /** {@code length} bytes at {@code position}; a record outside the file makes the archive corrupt. */
    static ByteBuffer readAt(FileChannel channel, long position, int length) throws BundleException, IOException {
        if (position < 0 || position + length > channel.size()) {
            throw new BundleException(BundleError.CORRUPT_ARCHIVE, "a record lies outside the file");
        }
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new BundleException(BundleError.CORRUPT_ARCHIVE, "the file ended unexpectedly");
            }
        }
        return buffer.flip();
    }

    static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xFFFF;
    }

    static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }
}
