package io.wavestore.scheduler.local;

import io.wavestore.scheduler.runtime.InstanceRuntime;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/** The last lines of a log file, then (when following) the lines appended to it, until closed. */
final class LogFileStream implements InstanceRuntime.LogStream {

    private static final long FOLLOW_POLL_MS = 200;
    private final Path file;
    private final boolean follow;
    private final Deque<String> pending = new ArrayDeque<>();
    private long position;
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean closed;

    LogFileStream(Path file, int tailLines, boolean follow) {
        this.file = file;
        this.follow = follow;
        try {
            if (Files.exists(file)) {
                // Reading the whole file once is fine for a launcher's log; it is small next to what it ran.
                var lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                lines.subList(Math.max(0, lines.size() - tailLines), lines.size()).forEach(pending::add);
                position = Files.size(file);
            }
        } catch (IOException e) {
            pending.add("(the log cannot be read: " + e.getMessage() + ")");
        }
    }

    @Override
    public Optional<String> nextLine() throws IOException {
        while (!closed) {
            if (!pending.isEmpty()) {
                return Optional.of(pending.removeFirst());
            }
            if (!follow) {
                return Optional.empty();
            }
            readAppended();
            if (pending.isEmpty()) {
                try {
                    Thread.sleep(FOLLOW_POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private void readAppended() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (raf.length() < position) {
                position = 0; // the log was replaced: start over
            }
            raf.seek(position);
            byte[] buffer = new byte[(int) Math.min(raf.length() - position, 1 << 20)];
            raf.readFully(buffer);
            position += buffer.length;
            partial.append(new String(buffer, StandardCharsets.UTF_8));
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                pending.add(partial.substring(0, newline));
                partial.delete(0, newline + 1);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
