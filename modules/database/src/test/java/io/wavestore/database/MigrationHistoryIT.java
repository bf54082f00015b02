package io.wavestore.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.wavestore.testkit.PostgresExtension;
import io.wavestore.testkit.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations keep the versions and checksums that existing databases recorded: Flyway validates every applied
 * migration against them at each start, so a database migrated before the migrations came to this module (catalog
 * V1–V5, V10, V20–V24; identity V6–V8) migrates on cleanly. The numbers are Flyway's checksums of those files as they
 * were in their old homes.
 */
@ExtendWith(PostgresExtension.class)
class MigrationHistoryIT {

    static final Map<String, Integer> RECORDED = Map.ofEntries(
            Map.entry("1", 1071097219),
            Map.entry("2", 388575779),
            Map.entry("3", 574627123),
            Map.entry("4", 972920196),
            Map.entry("5", -39993344),
            Map.entry("6", 374042314),
            Map.entry("7", -1846535049),
            Map.entry("8", 1321229315),
            Map.entry("10", 1403757671),
            Map.entry("20", -403176528),
            Map.entry("21", 1086495247),
            Map.entry("22", -615127175),
            Map.entry("23", -1934258855),
            Map.entry("24", 151773770));

    @Test
    void everyMigrationKeepsTheVersionAndChecksumExistingDatabasesRecorded(TestDatabase db, @TempDir Path dataDir) {
        Config config = ConfigFactory.parseMap(Map.of("url", db.url(), "user", db.user(), "password", db.password()))
                .withFallback(ConfigFactory.defaultReference().getConfig("wavestore.database"));
        try (Database database = Database.start(config, dataDir)) {
            Map<String, Integer> applied = database.jdbi().withHandle(handle -> handle.createQuery(
                            "SELECT version, checksum FROM flyway_schema_history WHERE version IS NOT NULL")
                    .map((row, ctx) -> Map.entry(row.getString("version"), row.getInt("checksum")))
                    .list())
                    .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(applied).isEqualTo(RECORDED);
        }
        // A second start validates everything applied and applies nothing, as with an existing database.
        try (Database again = Database.start(config, dataDir)) {
            int applied = again.jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success")
                    .mapTo(Integer.class).one());
            assertThat(applied).isEqualTo(RECORDED.size());
        }
    }
}
