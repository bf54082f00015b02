package io.wavestore.server.alias;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Aliases (table {@code aliases}, migration V10). */
@RegisterConstructorMapper(AliasRow.class)
public interface AliasDao {

    String COLUMNS = "name, instance_id, is_primary, created_by, created_at, updated_at";

    @SqlQuery("SELECT " + COLUMNS + " FROM aliases ORDER BY name")
    List<AliasRow> list();

    @SqlQuery("SELECT " + COLUMNS + " FROM aliases WHERE instance_id = :instanceId ORDER BY name")
    List<AliasRow> listFor(@Bind("instanceId") String instanceId);

    @SqlQuery("SELECT " + COLUMNS + " FROM aliases WHERE name = :name")
    Optional<AliasRow> find(@Bind("name") String name);

    /** Locks the alias row, so that changes to one alias happen one after the other. */
    @SqlQuery("SELECT " + COLUMNS + " FROM aliases WHERE name = :name FOR UPDATE")
    Optional<AliasRow> lock(@Bind("name") String name);

    /** Locks every alias of an instance: promotions of its aliases happen one after the other. */
    @SqlQuery("SELECT " + COLUMNS + " FROM aliases WHERE instance_id = :instanceId ORDER BY name FOR UPDATE")
    List<AliasRow> lockFor(@Bind("instanceId") String instanceId);

    @SqlUpdate("""
            INSERT INTO aliases (name, instance_id, is_primary, created_by, created_at, updated_at)
            VALUES (:name, :instanceId, :isPrimary, :createdBy, :createdAt, :updatedAt)
            ON CONFLICT (name) DO NOTHING""")
    int insert(@BindMethods AliasRow row);

    @SqlUpdate("UPDATE aliases SET instance_id = :instanceId, is_primary = :primary, updated_at = :now WHERE name = :name")
    int point(@Bind("name") String name, @Bind("instanceId") String instanceId, @Bind("primary") boolean primary,
            @Bind("now") Instant now);

    @SqlUpdate("UPDATE aliases SET is_primary = false, updated_at = :now WHERE instance_id = :instanceId AND is_primary")
    int demoteAll(@Bind("instanceId") String instanceId, @Bind("now") Instant now);

    @SqlUpdate("UPDATE aliases SET is_primary = true, updated_at = :now WHERE name = :name")
    int promote(@Bind("name") String name, @Bind("now") Instant now);

    @SqlUpdate("DELETE FROM aliases WHERE name = :name")
    int delete(@Bind("name") String name);
}
