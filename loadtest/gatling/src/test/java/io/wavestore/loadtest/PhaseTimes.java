package io.wavestore.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How long instances took to get where their users wanted them (a start until RUNNING, a resume until RUNNING, a
 * suspend until STOPPED), as the user waits for it: from the request to the poll that saw the phase. Gatling's own
 * statistics give each poll, not the wait, so the simulation keeps these and prints them at the end.
 */
final class PhaseTimes {

    private static final Map<String, Queue<Long>> MILLIS = new ConcurrentHashMap<>();

    private PhaseTimes() {
    }

    private static final Map<String, AtomicInteger> COUNTS = new ConcurrentHashMap<>();

    static void record(String what, long millis) {
        MILLIS.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>()).add(millis);
    }

    /** Counts something seen on the way (a FAILED phase while waiting for another). */
    static void count(String what) {
        COUNTS.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    /** One line per kind of wait: count, min, p50, p95, max in seconds. */
    static String summary() {
        StringBuilder out = new StringBuilder("| wait | count | min | p50 | p95 | max |\n| --- | --- | --- | --- | --- | --- |\n");
        MILLIS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            List<Long> sorted = new ArrayList<>(entry.getValue());
            sorted.sort(null);
            out.append(String.format(Locale.ROOT, "| %s | %d | %.1f s | %.1f s | %.1f s | %.1f s |%n", entry.getKey(),
                    sorted.size(), seconds(sorted.get(0)), seconds(percentile(sorted, 50)),
                    seconds(percentile(sorted, 95)), seconds(sorted.get(sorted.size() - 1))));
        });
        COUNTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(entry -> out.append(String.format(Locale.ROOT, "%n%s: %d", entry.getKey(), entry.getValue().get())));
        return out.toString();
    }

    static void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, summary());
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Long> sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static double seconds(long millis) {
        return millis / 1000.0;
    }
}
