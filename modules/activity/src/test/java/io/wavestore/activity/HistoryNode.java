package io.wavestore.activity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wavestore.database.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;

/** One replica of the history in a test: an actor system in a cluster, the store's database, the history on it. */
final class HistoryNode implements AutoCloseable {

    final ActorTestKit kit;
    final Database database;
    final ActivityHistory history;

    private HistoryNode(ActorTestKit kit, Database database, ActivityHistory history) {
        this.kit = kit;
        this.database = database;
        this.history = history;
    }

    /**
     * @param seedPort 0: a cluster of its own (joins itself); else the first node's port, which it joins
     * @param port     this node's remoting port (the first node of a cluster needs a known one)
     */
    static HistoryNode start(String url, String user, String password, Path dataDir, int port, int seedPort,
            Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(more);
        settings.put("pekko.actor.provider", "cluster");
        settings.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
        settings.put("pekko.remote.artery.canonical.port", port);
        settings.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
        settings.put("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        settings.put("pekko.cluster.split-brain-resolver.stable-after", "3s");
        settings.put("pekko.coordinated-shutdown.exit-jvm", "off");
        settings.put("pekko.loggers", List.of("org.apache.pekko.event.slf4j.Slf4jLogger"));
        if (seedPort != 0) {
            settings.put("pekko.cluster.seed-nodes", List.of("pekko://history@127.0.0.1:" + seedPort));
        }
        settings.put("wavestore.database.url", url);
        settings.put("wavestore.database.user", user);
        settings.put("wavestore.database.password", password);
        // A store start on a busy machine may wait more than the 1.5 s default for its first connection (as the
        // server's tests, TestStoreConfig, allow too).
        settings.put("wavestore.database.connection-timeout", "10s");
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
        ActorTestKit kit = ActorTestKit.create("history", config);
        if (seedPort == 0) {
            Cluster cluster = Cluster.get(kit.system());
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        Database database = Database.start(config.getConfig("wavestore.database"), dataDir);
        ActivityHistory history = ActivityHistory.start(kit.system(), database.dataSource(), database.jdbi(),
                Clock.systemUTC());
        return new HistoryNode(kit, database, history);
    }

    ActivityRecorder recorder() {
        return history.recorder();
    }

    ActivityDao dao() {
        return history.dao();
    }

    @Override
    public void close() {
        kit.shutdownTestKit();
        database.close();
    }
}
