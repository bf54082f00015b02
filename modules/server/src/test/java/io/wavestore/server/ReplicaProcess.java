package io.wavestore.server;

import io.wavestore.testkit.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One replica of the store in a JVM of its own ({@code java -cp <this test's class path> io.wavestore.server.Main}),
 * configured by an overlay of {@code cluster-config/} ({@code -Dconfig.file}), environment variables and, where a pod
 * would have files mounted, system properties: {@code local.conf} as {@code cluster-config/local-cluster.sh}
 * configures one, or {@code kubernetes.conf} as the chart does. It can be stopped gracefully (SIGTERM), killed
 * (SIGKILL) and started again.
 */
final class ReplicaProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int index;
    final int httpPort;
    final int clusterPort;
    private final Path overlay;
    private final List<String> jvmProperties;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    /** A replica of the local cluster: overlay cluster-config/local.conf. */
    ReplicaProcess(int index, int httpPort, int clusterPort, Map<String, String> env, Path log) {
        this(index, httpPort, clusterPort, repository().resolve("cluster-config/local.conf"), List.of(), env, log);
    }

    /**
     * @param overlay       the -Dconfig.file of the replica
     * @param jvmProperties further {@code -Dname=value} options
     */
    ReplicaProcess(int index, int httpPort, int clusterPort, Path overlay, List<String> jvmProperties,
            Map<String, String> env, Path log) {
        this.index = index;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.overlay = overlay;
        this.jvmProperties = List.copyOf(jvmProperties);
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /**
     * {@code count} replicas of one local cluster (seed nodes, as cluster-config/local-cluster.sh configures them) on
     * {@code database}, with one blob directory and a data directory each under {@code shared}, their logs there too,
     * and {@code env} on top; not started yet.
     */
    static List<ReplicaProcess> localCluster(int count, Path shared, TestDatabase database, Map<String, String> env) {
        List<Integer> clusterPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clusterPorts.add(TestStoreConfig.freePort());
        }
        String seeds = clusterPorts.stream().map(p -> "pekko://wavestore@127.0.0.1:" + p).collect(Collectors.joining(","));
        List<ReplicaProcess> replicas = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            int httpPort = TestStoreConfig.freePort();
            Map<String, String> own = new HashMap<>();
            own.put("WAVESTORE_HTTP_PORT", Integer.toString(httpPort));
            own.put("WAVESTORE_CLUSTER_PORT", Integer.toString(clusterPorts.get(i - 1)));
            own.put("WAVESTORE_CLUSTER_SEED_NODES", seeds);
            own.put("WAVESTORE_MANAGEMENT_PORT", Integer.toString(TestStoreConfig.freePort()));
            own.put("WAVESTORE_DATA_DIR", shared.resolve("replica-" + i).toString());
            own.put("WAVESTORE_DB_URL", database.url());
            own.put("WAVESTORE_DB_USER", database.user());
            own.put("WAVESTORE_DB_PASSWORD", database.password());
            own.put("WAVESTORE_BLOB_DIR", shared.resolve("blobs").toString());
            own.put("WAVESTORE_PUBLIC_URL", "http://127.0.0.1:" + httpPort);
            own.putAll(env);
            replicas.add(new ReplicaProcess(i, httpPort, clusterPorts.get(i - 1), own, shared.resolve("replica-" + i + ".log")));
        }
        return replicas;
    }

    /** Starts them as an operator would: the first migrates the database and forms the cluster, the others join it. */
    static void startCluster(List<ReplicaProcess> replicas, Duration servingWithin) throws Exception {
        replicas.get(0).start();
        replicas.get(0).awaitServing(servingWithin);
        for (ReplicaProcess replica : replicas.subList(1, replicas.size())) {
            replica.start();
        }
        for (ReplicaProcess replica : replicas.subList(1, replicas.size())) {
            replica.awaitServing(servingWithin);
        }
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    void start() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dconfig.file=" + overlay));
        command.addAll(jvmProperties);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        process = builder.start();
    }

    /** Serving: it answers the API (it binds HTTP only once its database, cluster and routes are up). */
    void awaitServing(Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("replica " + index + " exited with " + process.exitValue() + "; log:\n" + tail());
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(base().resolve("/api/v1/apps"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("replica " + index + " did not serve within " + within + "; log:\n" + tail());
    }

    /** SIGTERM: coordinated shutdown leaves the cluster and hands the shards over; returns once the JVM is gone. */
    void terminate() throws Exception {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("replica " + index + " did not stop within 90 s of SIGTERM; log:\n" + tail());
        }
    }

    /**
     * SIGTERM to those of {@code replicas} still running; then their logs are copied to {@code target/<logsFolder>},
     * where they outlive the test's temporary directory for a look after a failure.
     */
    static void stopAllKeepingLogs(List<ReplicaProcess> replicas, String logsFolder) throws Exception {
        for (ReplicaProcess replica : replicas) {
            if (replica.alive()) {
                replica.terminate();
            }
        }
        Path logs = Files.createDirectories(Path.of("target", logsFolder));
        for (ReplicaProcess replica : replicas) {
            if (Files.exists(replica.log)) {
                Files.copy(replica.log, logs.resolve(replica.log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** SIGKILL: gone at once, without a word to the cluster; its launchers keep running. */
    void kill() throws Exception {
        process.destroyForcibly().waitFor();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** Everything the replica has written to its standard output and error so far. */
    String output() throws IOException {
        return Files.readString(log);
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    static Path repository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("cluster-config/local.conf"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no cluster-config/local.conf above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
