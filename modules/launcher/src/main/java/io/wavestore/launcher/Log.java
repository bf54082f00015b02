package io.wavestore.launcher;

import java.io.PrintStream;

/**
 * The launcher's only log: plain lines on standard output, each prefixed with who wrote it ({@code [launcher]},
 * {@code [pip]}, {@code [waved]}, {@code [app]}, ...), so {@code kubectl logs} of an instance reads as one story.
 * Lines are written whole under one lock, so children's output never interleaves mid-line.
 */
final class Log {
    private static final PrintStream OUT = System.out;

    private Log() {}

    static void info(String message) {
        line("launcher", message);
    }

    static void line(String source, String text) {
        synchronized (OUT) {
            OUT.print('[');
            OUT.print(source);
            OUT.print("] ");
            OUT.println(text);
            OUT.flush();
        }
    }
}
