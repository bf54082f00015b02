package io.wavestore.identity.session;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Sign-ins in progress. */
public interface LoginStateDao {

    @SqlUpdate("""
            INSERT INTO login_states (state_hash, nonce, code_verifier, redirect_uri, return_to, expires_at)
            VALUES (:stateHash, :nonce, :codeVerifier, :redirectUri, :returnTo, :expiresAt)""")
    void insert(@BindMethods LoginStateRow row);

    /** Removes and returns the sign-in: a state is good for one callback only. */
    @SqlQuery("""
            DELETE FROM login_states WHERE state_hash = :stateHash
            RETURNING state_hash, nonce, code_verifier, redirect_uri, return_to, expires_at""")
    @RegisterConstructorMapper(LoginStateRow.class)
    Optional<LoginStateRow> take(@Bind("stateHash") String stateHash);

    @SqlUpdate("DELETE FROM login_states WHERE expires_at <= :now")
    int deleteExpired(@Bind("now") Instant now);
}
