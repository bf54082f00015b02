package io.wavestore.loadtest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A kill -9 of one replica of the local cluster during the day ({@link Settings#KILL_REPLICA} at
 * {@link Settings#KILL_AT}), by {@code cluster-config/local-cluster.sh kill-replica I} with the environment Gatling runs
 * in (so {@code WAVESTORE_LOCAL_CLUSTER_DIR} and the port bases are the cluster's). Users are dealt only to the
 * replicas in {@link Settings#BASE_URLS}, which must not include the one killed: every request of the day then goes
 * through a survivor, and any failed request is one a survivor failed.
 */
final class ReplicaKill {

    private static volatile Instant killedAt;
    private static ScheduledExecutorService timer;

    private ReplicaKill() {
    }

    /** Schedules the kill, if one is asked for; refuses a day that would talk to the replica it kills. */
    static void schedule(Path repository) {
        if (Settings.KILL_REPLICA <= 0) {
            return;
        }
        String victim = "http://127.0.0.1:" + (httpPortBase() + Settings.KILL_REPLICA - 1);
        if (Settings.BASE_URLS.contains(victim)) {
            throw new IllegalArgumentException("wavestore.kill-replica=" + Settings.KILL_REPLICA + " is " + victim
                    + ", which wavestore.base-urls deals users to: leave it out, so that every request goes through a"
                    + " survivor");
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "replica-kill");
            thread.setDaemon(true);
            return thread;
        });
        timer.schedule(() -> kill(repository, victim), Settings.KILL_AT.toMillis(), TimeUnit.MILLISECONDS);
        System.out.println("[wavestore] replica " + Settings.KILL_REPLICA + " (" + victim + ") will be killed -9 "
                + Settings.KILL_AT.toSeconds() + " s into the day; users go to " + Settings.BASE_URLS + " only");
    }

    /** When the replica was killed, if it was. */
    static Optional<Instant> killedAt() {
        return Optional.ofNullable(killedAt);
    }

    private static void kill(Path repository, String victim) {
        try {
            Process kill = new ProcessBuilder(repository.resolve("cluster-config/local-cluster.sh").toString(),
                    "kill-replica", Integer.toString(Settings.KILL_REPLICA)).inheritIO().start();
            Instant at = Instant.now();
            boolean ended = kill.waitFor(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            killedAt = at;
            System.out.println("[wavestore] kill -9 of replica " + Settings.KILL_REPLICA + " (" + victim + ") at " + at
                    + (ended && kill.exitValue() == 0 ? "" : ": local-cluster.sh did not end well ("
                            + (ended ? "exit " + kill.exitValue() : "still running") + ")"));
        } catch (IOException e) {
            System.out.println("[wavestore] could not kill replica " + Settings.KILL_REPLICA + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int httpPortBase() {
        String base = System.getenv("WAVESTORE_LOCAL_CLUSTER_HTTP_PORT");
        return base == null || base.isBlank() ? 8080 : Integer.parseInt(base.trim());
    }
}
