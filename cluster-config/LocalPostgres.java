import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The one PostgreSQL of a local cluster (cluster-config/local-cluster.sh): the embedded PostgreSQL the catalog ships
 * with (no installation needed, and it also runs as root, where initdb alone refuses), kept in a data directory across
 * restarts, listening on 127.0.0.1 only, with a database "wavestore". Runs until SIGTERM, then stops PostgreSQL.
 *
 * <p>Run as a single-file program: {@code java -cp <store class path> LocalPostgres.java <data dir> <port>}.
 */
public class LocalPostgres {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: LocalPostgres <data dir> <port>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                // Every replica keeps a pool of 10 connections: room for 15 replicas.
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet exists = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'wavestore'")) {
            if (!exists.next()) {
                s.execute("CREATE DATABASE wavestore");
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("stopping PostgreSQL failed: " + e);
            }
            stopped.countDown();
        }));
        System.out.println("PostgreSQL ready on 127.0.0.1:" + port + ", data in " + dir);
        stopped.await();
    }
}
