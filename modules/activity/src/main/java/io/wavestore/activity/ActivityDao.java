package io.wavestore.activity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/** The activity table and the projection's offset: written by the projection, read by the API and usage. */
public final class ActivityDao {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> DETAILS = new TypeReference<>() {
    };

    /** Rows a caller may see and asked for; {@code :viewer} and the filters bound by {@link #bindFilter}. */
    private static final String WHERE = """
             WHERE (CAST(:app AS text) IS NULL OR app_name = :app)
               AND (CAST(:instance AS text) IS NULL OR instance_id = :instance)
               AND (CAST(:user AS text) IS NULL OR actor_id = :user OR owner_id = :user)
               AND (CAST(:since AS timestamptz) IS NULL OR at >= :since)
               AND (CAST(:until AS timestamptz) IS NULL OR at < :until)
               AND (CAST(:viewer AS text) IS NULL
                    OR (:ownInstancesOnly AND subject_type = 'INSTANCE' AND owner_id = :viewer)
                    OR (NOT :ownInstancesOnly AND (owner_id = :viewer OR actor_id = :viewer
                        OR app_name IN (SELECT name FROM apps WHERE owner_id = :viewer))))
            """;

    private final Jdbi jdbi;

    public ActivityDao(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Where the projection named {@code projection} goes on from: the last journal ordering it wrote, or 0. */
    public long offset(String projection) {
        return jdbi.withHandle(h -> h.createQuery("SELECT journal_offset FROM projection_offset WHERE projection_name = :p")
                .bind("p", projection).mapTo(Long.class).findOne().orElse(0L));
    }

    /** Writes the rows (those already there are skipped) and the new offset in one transaction. */
    public void write(String projection, List<JournalRow> rows, long offset) {
        jdbi.useTransaction(h -> {
            PreparedBatch batch = h.prepareBatch("""
                    INSERT INTO activity (persistence_id, sequence_number, journal_offset, fact_id, at, kind, actor_type,
                                          actor_id, subject_type, subject_id, instance_id, app_name, app_version, owner_id,
                                          running, details)
                    VALUES (:pid, :seq, :offset, :id, :at, :kind, :actorType, :actorId, :subjectType, :subjectId,
                            :instanceId, :appName, :appVersion, :ownerId, :running, CAST(:details AS jsonb))
                    ON CONFLICT (persistence_id, sequence_number) DO NOTHING
                    """);
            for (JournalRow journalRow : rows) {
                ActivityRow r = journalRow.row();
                batch.bind("pid", journalRow.persistenceId()).bind("seq", journalRow.sequenceNr()).bind("offset", r.offset())
                        .bind("id", r.id()).bind("at", Timestamp.from(r.at())).bind("kind", r.kind())
                        .bind("actorType", r.actorType()).bind("actorId", r.actorId()).bind("subjectType", r.subjectType())
                        .bind("subjectId", r.subjectId()).bind("instanceId", r.instanceId()).bind("appName", r.appName())
                        .bind("appVersion", r.appVersion()).bind("ownerId", r.ownerId()).bind("running", r.running())
                        .bind("details", json(r.details())).add();
            }
            if (!rows.isEmpty()) {
                batch.execute();
            }
            h.createUpdate("""
                    INSERT INTO projection_offset (projection_name, journal_offset, updated_at) VALUES (:p, :o, now())
                    ON CONFLICT (projection_name) DO UPDATE
                    SET journal_offset = GREATEST(projection_offset.journal_offset, EXCLUDED.journal_offset), updated_at = now()
                    """).bind("p", projection).bind("o", offset).execute();
        });
    }

    /** A row with the identity of its journal event (persistence id, sequence number): written once. */
    public record JournalRow(String persistenceId, long sequenceNr, ActivityRow row) {
    }

    /** A page of the rows, newest first. */
    public List<ActivityRow> page(ActivityFilter filter, int limit, int offset) {
        return jdbi.withHandle(h -> bindFilter(h.createQuery("SELECT * FROM activity" + WHERE
                        + " ORDER BY at DESC, journal_offset DESC LIMIT :limit OFFSET :offset"), filter)
                .bind("limit", limit).bind("offset", offset).map(ActivityDao::row).list());
    }

    public long count(ActivityFilter filter) {
        return jdbi.withHandle(h -> bindFilter(h.createQuery("SELECT count(*) FROM activity" + WHERE), filter)
                .mapTo(Long.class).one());
    }

    /** Every row (oldest first) to {@code each}, streamed: the CSV export. */
    public void each(ActivityFilter filter, int max, Consumer<ActivityRow> each) {
        jdbi.useHandle(h -> bindFilter(h.createQuery("SELECT * FROM activity" + WHERE
                        + " ORDER BY at, journal_offset LIMIT :limit"), filter).bind("limit", max).setFetchSize(500)
                .map(ActivityDao::row).forEach(each));
    }

    /**
     * The running-state events of the instances that ran in [since, until): each instance's last event before
     * {@code since} (where it stood then) and all of its events in the period, oldest first.
     */
    public List<ActivityRow> runningEvents(Instant since, Instant until) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT * FROM activity a
                         WHERE a.running IS NOT NULL AND a.at < :until
                           AND (a.at >= :since OR a.journal_offset = (
                                SELECT max(b.journal_offset) FROM activity b
                                 WHERE b.instance_id = a.instance_id AND b.running IS NOT NULL AND b.at < :since))
                         ORDER BY a.at, a.journal_offset
                        """).bind("since", Timestamp.from(since)).bind("until", Timestamp.from(until))
                .map(ActivityDao::row).list());
    }

    /** Deletes events, snapshots and rows older than {@code before}; returns how many events went. */
    public int deleteBefore(Instant before) {
        return jdbi.inTransaction(h -> {
            long millis = before.toEpochMilli();
            h.createUpdate("DELETE FROM activity WHERE at < :before").bind("before", Timestamp.from(before)).execute();
            h.createUpdate("DELETE FROM snapshot WHERE created < :millis").bind("millis", millis).execute();
            return h.createUpdate("DELETE FROM event_journal WHERE write_timestamp < :millis").bind("millis", millis)
                    .execute();
        });
    }

    private static <S extends SqlStatement<S>> S bindFilter(S statement, ActivityFilter f) {
        return statement.bind("app", f.app().orElse(null)).bind("instance", f.instance().orElse(null))
                .bind("user", f.user().orElse(null))
                .bind("since", f.since().map(Timestamp::from).orElse(null))
                .bind("until", f.until().map(Timestamp::from).orElse(null))
                .bind("viewer", f.viewer().orElse(null)).bind("ownInstancesOnly", f.ownInstancesOnly());
    }

    private static ActivityRow row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
        return new ActivityRow(rs.getLong("journal_offset"), rs.getString("fact_id"), rs.getTimestamp("at").toInstant(),
                rs.getString("kind"), rs.getString("actor_type"), rs.getString("actor_id"), rs.getString("subject_type"),
                rs.getString("subject_id"), rs.getString("instance_id"), rs.getString("app_name"),
                rs.getString("app_version"), rs.getString("owner_id"), (Boolean) rs.getObject("running"),
                details(rs.getString("details")));
    }

    private static Map<String, String> details(String json) {
        try {
            return JSON.readValue(json, DETAILS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("activity details are not a JSON object of strings: " + e.getMessage(), e);
        }
    }

    private static String json(Map<String, String> details) {
        try {
            return JSON.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

}
