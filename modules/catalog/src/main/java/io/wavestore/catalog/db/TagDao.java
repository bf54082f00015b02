package io.wavestore.catalog.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Tags, and which apps carry them. */
public interface TagDao {

    @SqlUpdate("""
            INSERT INTO tags (name, title, color, description, visitor_roles, created_at)
            VALUES (:name, :title, :color, :description, :visitorRoles, :createdAt)""")
    void insert(@BindMethods TagRow row);

    @SqlUpdate("""
            UPDATE tags SET title = :title, color = :color, description = :description, visitor_roles = :visitorRoles
            WHERE name = :name""")
    int update(@BindMethods TagRow row);

    @SqlUpdate("DELETE FROM tags WHERE name = :name")
    int delete(@Bind("name") String name);

    @SqlQuery("SELECT name, title, color, description, visitor_roles, created_at FROM tags WHERE name = :name")
    @RegisterConstructorMapper(TagRow.class)
    Optional<TagRow> find(@Bind("name") String name);

    @SqlQuery("SELECT name, title, color, description, visitor_roles, created_at FROM tags ORDER BY name")
    @RegisterConstructorMapper(TagRow.class)
    List<TagRow> list();

    @SqlQuery("SELECT name FROM tags WHERE name = ANY(:names)")
    List<String> existing(@Bind("names") String[] names);

    @SqlUpdate("INSERT INTO app_tags (app_id, tag_name) VALUES (:appId, :tag) ON CONFLICT DO NOTHING")
    void assign(@Bind("appId") UUID appId, @Bind("tag") String tag);

    @SqlUpdate("DELETE FROM app_tags WHERE app_id = :appId")
    void clear(@Bind("appId") UUID appId);

    @SqlQuery("""
            SELECT at.app_id, t.name AS tag_name, t.visitor_roles
            FROM app_tags at JOIN tags t ON t.name = at.tag_name
            WHERE at.app_id = ANY(:ids) ORDER BY at.app_id, t.name""")
    @RegisterConstructorMapper(AppTagRow.class)
    List<AppTagRow> forApps(@Bind("ids") UUID[] ids);
}
