package io.wavestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wavestore.testkit.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's "three replicas with one killed lose no event and write none twice", with a real crash: three replicas of
 * the store, each a JVM of its own (cluster-config/local.conf, as local-cluster.sh runs them), one killed with SIGKILL
 * while people keep changing things through the other two. ActivityReplicasIT ends an actor system in the test's JVM;
 * here the process is gone without a word, and the others must notice, down it and move its shards (the history's
 * entities among them) before the facts recorded there are retried. Every command answers, and every change is in the
 * journal and the activity table exactly once.
 */
class ActivityReplicaKilledIT {

    private static final int REPLICAS = 3;
    private static final int CHANGES = 90;
    private static final Duration SERVING_WITHIN = Duration.ofMinutes(2);

    @TempDir
    Path shared;

    private final List<ReplicaProcess> replicas = new ArrayList<>();
    private ClusterObserver observer;

    @AfterEach
    void stopEverything() throws Exception {
        ReplicaProcess.stopAllKeepingLogs(replicas, "activity-replica-killed-logs");
        if (observer != null) {
            observer.close();
        }
    }

    @Test
    void aReplicaKilledWithSigkillLosesNoEventAndWritesNoneTwice() throws Exception {
        TestDatabase database = TestDatabase.create();
        // The history is all this test looks at: no instances, so no launchers to leave behind.
        replicas.addAll(ReplicaProcess.localCluster(REPLICAS, shared, database, Map.of("WAVESTORE_RUNTIME", "none")));
        ReplicaProcess.startCluster(replicas, SERVING_WITHIN);
        List<Integer> clusterPorts = replicas.stream().map(r -> r.clusterPort).toList();
        observer = new ClusterObserver(clusterPorts);
        observer.awaitUpReplicas(Set.copyOf(clusterPorts), Duration.ofMinutes(1));

        // Tags: each one's history is an entity of its own, so they spread over the shards of all three replicas.
        // One change after the other, as people make them (a burst of 90 at once answers 503 from the database pool
        // on this small machine, which is another matter); each must be answered while the replica is gone.
        for (int i = 0; i < CHANGES; i++) {
            if (i == CHANGES / 3) {
                replicas.get(2).kill(); // SIGKILL: some of these tags' entities lived there
            }
            HttpResponse<String> created = client(1 + i % 2).send("POST", "/api/v1/tags",
                    "{\"name\":\"t-" + i + "\",\"title\":\"Tag " + i + "\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }

        // Recorded after the answer, retried until the dead replica's shards have moved.
        await().atMost(Duration.ofMinutes(2)).until(() -> count(database,
                "SELECT count(*) FROM activity WHERE kind = 'TAG_CREATED'") >= CHANGES);
        assertThat(count(database, "SELECT count(*) FROM activity WHERE kind = 'TAG_CREATED'")).isEqualTo(CHANGES);
        assertThat(count(database, "SELECT count(DISTINCT subject_id) FROM activity WHERE kind = 'TAG_CREATED'"))
                .isEqualTo(CHANGES);
        assertThat(count(database, "SELECT count(DISTINCT fact_id) FROM activity")).isEqualTo(CHANGES);
        assertThat(count(database, "SELECT count(*) FROM event_journal")).isEqualTo(CHANGES);
        assertThat(replicas.get(2).alive()).isFalse();
    }

    private StoreClient client(int replica) {
        return new StoreClient(replicas.get(replica - 1).base()).as("ada", "admin");
    }

    private static long count(TestDatabase database, String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.url(), database.user(), database.password());
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
