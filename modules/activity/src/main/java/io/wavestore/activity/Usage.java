package io.wavestore.activity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instance running time over a period, derived from the history alone: an instance runs from an event after which it
 * runs (started, resumed, installed with helm...) to the next after which it does not (suspended, terminated, removed),
 * and is split at every update by the version it ran. Time before the period, after it, or after {@code now} counts
 * nothing; an instance still running counts up to {@code now}.
 */
public final class Usage {

    public enum By { USER, APP }

    /** One line: a user, or an app version, with its running time and how many instances ran. */
    public record Line(String user, String app, String version, long seconds, int instances) {

        public double hours() {
            return seconds / 3600.0;
        }
    }

    private Usage() {
    }

    /**
     * @param events running-state events ({@code running} set) of the instances, oldest first, including each
     *               instance's last event before {@code since}
     */
    public static List<Line> of(List<ActivityRow> events, By by, Instant since, Instant until, Instant now) {
        Instant end = until.isBefore(now) ? until : now;
        Map<String, ActivityRow> lastByInstance = new HashMap<>();
        Map<List<String>, Long> seconds = new LinkedHashMap<>();
        Map<List<String>, Set<String>> instances = new HashMap<>();
        for (ActivityRow event : events) {
            ActivityRow before = lastByInstance.put(event.instanceId(), event);
            if (before != null) {
                add(before, event.at(), since, end, by, seconds, instances);
            }
        }
        for (ActivityRow last : lastByInstance.values()) {
            add(last, end, since, end, by, seconds, instances);
        }
        List<Line> lines = new ArrayList<>();
        seconds.forEach((key, s) -> lines.add(new Line(key.get(0), key.get(1), key.get(2), s, instances.get(key).size())));
        lines.sort(Comparator.comparingLong(Line::seconds).reversed().thenComparing(l -> String.valueOf(l.user()))
                .thenComparing(l -> String.valueOf(l.app())).thenComparing(l -> String.valueOf(l.version())));
        return lines;
    }

    /** Adds the time from {@code state}'s event to {@code next}, clipped to [since, end), if it ran then. */
    private static void add(ActivityRow state, Instant next, Instant since, Instant end, By by,
            Map<List<String>, Long> seconds, Map<List<String>, Set<String>> instances) {
        if (!Boolean.TRUE.equals(state.running())) {
            return;
        }
        Instant from = state.at().isBefore(since) ? since : state.at();
        Instant to = next.isAfter(end) ? end : next;
        if (!to.isAfter(from)) {
            return;
        }
        List<String> key = by == By.USER
                ? java.util.Arrays.asList(state.ownerId(), null, null)
                : java.util.Arrays.asList(null, state.appName(), state.appVersion());
        seconds.merge(key, Duration.between(from, to).toSeconds(), Long::sum);
        instances.computeIfAbsent(key, k -> new HashSet<>()).add(state.instanceId());
    }
}
