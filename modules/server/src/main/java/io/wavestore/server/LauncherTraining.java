package io.wavestore.server;

import com.sun.net.httpserver.HttpServer;
import io.wavestore.bundle.BundlePacker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The run of the launcher whose classes go into its class archive: as much of a real start's Java side as runs
 * without Python. It reads a small packed app, unpacks it, reports its progress to a loopback stand-in of the store
 * (which takes every report), and fails at once where it would check the Python interpreter (one that does not
 * exist): nothing of the app runs, nothing is downloaded.
 */
final class LauncherTraining {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private LauncherTraining() {
    }

    /** Runs the launcher in {@code dir} as {@code java <options> -XX:ArchiveClassesAtExit=<dump> -cp ... <main>}. */
    static void run(Path dir, Path dump, String java, List<String> options, String classpath, String main)
            throws IOException, InterruptedException {
        Path app = Files.createDirectories(dir.resolve("source"));
        Files.writeString(app.resolve("app.toml"), """
                [App]
                Name = "io.wavestore.launcher-training"
                Version = "0.1.0"
                Title = "Launcher training"

                [Runtime]
                Module = "app"
                """);
        Files.writeString(app.resolve("app.py"), "from h2o_wave import main, app  # noqa: F401\n");
        Files.writeString(app.resolve("requirements.txt"), "h2o-wave\n");
        Path bundle = dir.resolve("app.wave");
        BundlePacker.pack(app, bundle);

        HttpServer store = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        store.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        store.start();
        try {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(options);
            command.addAll(List.of("-XX:ArchiveClassesAtExit=" + dump, "-cp", classpath, main));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> !name.equals("PATH"));
            env.put("WAVESTORE_INSTANCE_ID", "launcher-training");
            env.put("WAVESTORE_BUNDLE_FILE", bundle.toString());
            env.put("WAVESTORE_PROGRESS_URL", "http://127.0.0.1:" + store.getAddress().getPort()
                    + "/api/v1/instances/launcher-training/progress");
            env.put("WAVESTORE_INSTANCE_TOKEN", "training");
            env.put("WAVESTORE_PYTHON", dir.resolve("no-python").toString());
            env.put("WAVESTORE_WORK_DIR", dir.resolve("app").toString());
            env.put("WAVESTORE_VENV_DIR", dir.resolve("venv").toString());
            env.put("WAVESTORE_WAVE_DATA_DIR", dir.resolve("data").toString());
            Process process = builder.start();
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("the training run took over " + LIMIT.toSeconds() + " s");
            }
            if (!Files.isRegularFile(dump) || Files.size(dump) == 0) {
                throw new IOException("the training run (exit code " + process.exitValue() + ") wrote no archive");
            }
        } finally {
            store.stop(0);
        }
    }
}
