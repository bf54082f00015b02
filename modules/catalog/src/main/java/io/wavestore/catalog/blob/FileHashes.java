package io.wavestore.catalog.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Reads a file once, feeding every byte to the given digests; the object stores name blobs by these. */
final class FileHashes {

    private static final int BUFFER_SIZE = 64 * 1024;

    private FileHashes() {
    }

    /** Updates each digest with the whole file; returns the file's size in bytes. */
    static long update(Path file, MessageDigest... digests) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                for (MessageDigest digest : digests) {
                    digest.update(buffer, 0, n);
                }
                total += n;
            }
        }
        return total;
    }

    /**
     * A key prefix as the object stores use it: no leading {@code /}, and a trailing {@code /} when not
     * empty, so {@code "wavestore"} and {@code "/wavestore/"} mean the same.
     */
    static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String trimmed = prefix.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        if (!trimmed.isEmpty() && !trimmed.endsWith("/")) {
            trimmed = trimmed + "/";
        }
        return trimmed;
    }
}
