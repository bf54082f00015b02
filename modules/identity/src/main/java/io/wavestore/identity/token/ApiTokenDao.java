package io.wavestore.identity.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Personal API tokens. */
@RegisterConstructorMapper(ApiTokenRow.class)
public interface ApiTokenDao {

    String COLUMNS = """
            id, user_id, name, hint, user_name, role, claim_roles, groups, development, created_at, last_used_at,
            expires_at""";

    @SqlUpdate("""
            INSERT INTO api_tokens (id, token_hash, user_id, name, hint, user_name, role, claim_roles, groups,
                                    development, created_at, expires_at)
            VALUES (:row.id, :tokenHash, :row.userId, :row.name, :row.hint, :row.userName, :row.role, :row.claimRoles,
                    :row.groups, :row.development, :row.createdAt, :row.expiresAt)""")
    void insert(@BindMethods("row") ApiTokenRow row, @Bind("tokenHash") String tokenHash);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_tokens"
            + " WHERE token_hash = :tokenHash AND (expires_at IS NULL OR expires_at > :now)")
    Optional<ApiTokenRow> findValid(@Bind("tokenHash") String tokenHash, @Bind("now") Instant now);

    @SqlQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE user_id = :userId ORDER BY created_at DESC, id")
    List<ApiTokenRow> list(@Bind("userId") String userId);

    @SqlQuery("SELECT count(*) FROM api_tokens WHERE user_id = :userId")
    int count(@Bind("userId") String userId);

    @SqlUpdate("DELETE FROM api_tokens WHERE id = :id AND user_id = :userId")
    int delete(@Bind("id") UUID id, @Bind("userId") String userId);

    /** Records a use, at most once a minute per token: a busy CLI does not write on every request. */
    @SqlUpdate("""
            UPDATE api_tokens SET last_used_at = :now
            WHERE id = :id AND (last_used_at IS NULL OR last_used_at < CAST(:now AS timestamptz) - interval '1 minute')""")
    int touch(@Bind("id") UUID id, @Bind("now") Instant now);

    /** The owner signed in again: their tokens act with what they are now. */
    @SqlUpdate("""
            UPDATE api_tokens SET user_name = :userName, role = :role, claim_roles = :claimRoles, groups = :groups
            WHERE user_id = :userId AND NOT development""")
    int refreshOwner(@Bind("userId") String userId, @Bind("userName") String userName, @Bind("role") String role,
            @Bind("claimRoles") String[] claimRoles, @Bind("groups") String[] groups);
}
