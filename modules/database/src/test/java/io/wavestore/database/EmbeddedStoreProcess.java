package io.wavestore.database;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;

/**
 * A stand-in for a store process, for {@link DatabaseIT}: starts the embedded database with its
 * data under {@code args[0]}, says "ready", and waits to be killed.
 */
public final class EmbeddedStoreProcess {

    private EmbeddedStoreProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Database database = Database.start(ConfigFactory.defaultReference().getConfig("wavestore.database"),
                Path.of(args[0]));
        database.jdbi().useHandle(handle -> handle.execute("CREATE TABLE IF NOT EXISTS crashed (id int)"));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
