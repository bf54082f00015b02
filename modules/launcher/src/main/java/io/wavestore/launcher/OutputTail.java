package io.wavestore.launcher;

import java.util.ArrayDeque;
import java.util.List;

/** The last lines a child printed, for the failure report: what a person needs to see why it failed. */
final class OutputTail {
    static final int DEFAULT_LINES = 40;
    /** A progress bar or a minified blob must not make one line the whole report. */
    static final int MAX_LINE_CHARS = 1_000;

    private final int capacity;
    private final ArrayDeque<String> lines;

    OutputTail(int capacity) {
        this.capacity = capacity;
        this.lines = new ArrayDeque<>(capacity);
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
