package io.wavestore.identity.session;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Browser sessions. */
@RegisterConstructorMapper(SessionRow.class)
public interface SessionDao {

    String COLUMNS = """
            id_hash, user_id, claims::text AS claims, csrf_token, refresh_token, id_token, access_expires_at,
            created_at, expires_at""";

    @SqlUpdate("""
            INSERT INTO sessions (id_hash, user_id, claims, csrf_token, refresh_token, id_token, access_expires_at,
                                  created_at, expires_at)
            VALUES (:idHash, :userId, CAST(:claims AS jsonb), :csrfToken, :refreshToken, :idToken, :accessExpiresAt,
                    :createdAt, :expiresAt)""")
    void insert(@BindMethods SessionRow row);

    @SqlQuery("SELECT " + COLUMNS + " FROM sessions WHERE id_hash = :idHash AND expires_at > :now")
    Optional<SessionRow> find(@Bind("idHash") String idHash, @Bind("now") Instant now);

    /** The same, locking the row until the transaction ends: one replica at a time refreshes a session. */
    @SqlQuery("SELECT " + COLUMNS + " FROM sessions WHERE id_hash = :idHash AND expires_at > :now FOR UPDATE")
    Optional<SessionRow> lock(@Bind("idHash") String idHash, @Bind("now") Instant now);

    @SqlUpdate("""
            UPDATE sessions SET claims = CAST(:claims AS jsonb), refresh_token = :refreshToken, id_token = :idToken,
                                access_expires_at = :accessExpiresAt
            WHERE id_hash = :idHash""")
    int refreshed(@Bind("idHash") String idHash, @Bind("claims") String claims, @Bind("refreshToken") String refreshToken,
            @Bind("idToken") String idToken, @Bind("accessExpiresAt") Instant accessExpiresAt);

    @SqlUpdate("UPDATE sessions SET access_expires_at = :next WHERE id_hash = :idHash")
    int postponeRefresh(@Bind("idHash") String idHash, @Bind("next") Instant next);

    @SqlUpdate("DELETE FROM sessions WHERE id_hash = :idHash")
    int delete(@Bind("idHash") String idHash);

    @SqlUpdate("DELETE FROM sessions WHERE expires_at <= :now")
    int deleteExpired(@Bind("now") Instant now);
}
