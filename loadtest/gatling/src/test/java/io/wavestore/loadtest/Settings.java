package io.wavestore.loadtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What a run is aimed at and how big it is. Every setting is a system property ({@code -Dwavestore.base-urls=...} on
 * the Maven command line, passed on to Gatling's JVM) or, failing that, an environment variable
 * ({@code WAVESTORE_BASE_URLS}); the defaults give a working day compressed into five minutes against the local
 * three-replica cluster.
 */
final class Settings {

    /** The replicas, e.g. {@code http://127.0.0.1:8080,http://127.0.0.1:8081}; virtual users are spread over them. */
    static final List<String> BASE_URLS = Arrays.stream(
                    text("wavestore.base-urls", "http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082")
                            .split(","))
            .map(String::trim).filter(s -> !s.isEmpty()).map(s -> s.replaceAll("/+$", "")).toList();

    /** How long the compressed working day lasts. */
    static final Duration DAY = Duration.ofSeconds(Math.round(number("wavestore.day-minutes", 5) * 60));
    /** Multiplies every think time: 1 is a person reading, 0.1 a hurried one. */
    static final double THINK = number("wavestore.think-scale", 1);
    /** New catalog visitors per second at the busiest hour of the day (the morning and evening have a third). */
    static final double BROWSERS_PER_SECOND = number("wavestore.browsers-per-second", 2);
    /** People using an instance at any moment: each starts one, uses it, suspends, resumes and terminates it. */
    static final int INSTANCE_USERS = (int) number("wavestore.instance-users", 4);
    /** People publishing new versions of their apps during the day. */
    static final int PUBLISHERS = (int) number("wavestore.publishers", 3);
    /** Versions each publisher uploads. */
    static final int UPLOADS_PER_PUBLISHER = (int) number("wavestore.uploads-per-publisher", 2);
    /** Apps the catalog holds before the day starts (uploaded by the setup when missing). */
    static final int CATALOG_APPS = (int) number("wavestore.catalog-apps", 24);
    /** Above this share of failed requests (percent) the run fails. */
    static final double MAX_ERROR_PERCENT = number("wavestore.max-error-percent", 1);
    /** Longest wait for an instance to reach a phase. */
    static final Duration PHASE_TIMEOUT = Duration.ofSeconds((long) number("wavestore.phase-timeout-seconds", 240));
    /**
     * The {@code cluster-config/local-cluster.sh} replica (1-based) to kill -9 during the day, or 0 for none. Users are
     * never dealt to it: leave its URL out of {@link #BASE_URLS}, so that every request goes through a survivor.
     */
    static final int KILL_REPLICA = (int) number("wavestore.kill-replica", 0);
    /** How far into the day the kill comes, in minutes. */
    static final Duration KILL_AT = Duration.ofSeconds(Math.round(number("wavestore.kill-at-minutes", 2.5) * 60));
    /** The example app that instances run (examples/hello-wave in this repository). */
    static final Path EXAMPLE_APP = exampleApp();

    /** The app every instance runs, uploaded by the setup from {@link #EXAMPLE_APP}. */
    static final String INSTANCE_APP = "io.wavestore.hello-wave";
    static final String INSTANCE_VERSION = "0.1.0";

    private Settings() {
    }

    /** A think time of {@code seconds} scaled by {@link #THINK}, never below 10 ms. */
    static Duration think(double seconds) {
        return Duration.ofMillis(Math.max(10, Math.round(seconds * THINK * 1000)));
    }

    /** The replica of the {@code n}th user of a kind: users are dealt over the replicas in turn. */
    static String baseFor(long n) {
        return BASE_URLS.get((int) (n % BASE_URLS.size()));
    }

    static String text(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null || value.isBlank() ? fallback : value;
    }

    private static double number(String property, double fallback) {
        String value = text(property, null);
        try {
            return value == null ? fallback : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(property + " must be a number, not '" + value + "'", e);
        }
    }

    /** examples/hello-wave above the working directory (Maven runs Gatling in loadtest/gatling), or the property. */
    private static Path exampleApp() {
        String configured = text("wavestore.example-app", null);
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/hello-wave");
            if (Files.isRegularFile(candidate.resolve("app.toml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/hello-wave not found above " + Path.of("").toAbsolutePath()
                + "; set -Dwavestore.example-app=<dir>");
    }
}
