package io.wavestore.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The children running right now, so a SIGTERM to the launcher (a shutdown hook) can pass on to them. Stops go
 * in reverse start order: the app before waved, so the app can still unregister.
 */
final class Children {
    private final List<ChildProcess> running = new ArrayList<>();
    private boolean closed;

    /** Adds a started child; a child started after {@link #stopAll} is stopped at once. */
    synchronized boolean add(ChildProcess child, Duration grace) {
        if (closed) {
            child.stop(grace);
            return false;
        }
        running.add(child);
        return true;
    }

    synchronized void remove(ChildProcess child) {
        running.remove(child);
    }

    /** Stops every child and refuses new ones. Safe to call more than once. */
    void stopAll(Duration grace) {
        List<ChildProcess> toStop;
        synchronized (this) {
            closed = true;
            toStop = new ArrayList<>(running);
            running.clear();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            toStop.get(i).stop(grace);
        }
    }
}
