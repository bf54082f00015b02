package io.wavestore.catalog.db;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** App versions. Listing with filters lives in {@link AppListing}; this is the fixed SQL. */
@RegisterConstructorMapper(AppRow.class)
public interface AppDao extends SqlObject {

    String COLUMNS = """
            id, name, version, version_key, title, description, long_description, owner_id, visibility,
            lifecycle, manifest::text AS manifest, bundle_digest, bundle_size, created_at""";

    @SqlUpdate("""
            INSERT INTO apps (id, name, version, version_key, title, description, long_description, owner_id,
                              visibility, lifecycle, manifest, bundle_digest, bundle_size, created_at)
            VALUES (:id, :name, :version, :versionKey, :title, :description, :longDescription, :ownerId,
                    :visibility, :lifecycle, CAST(:manifest AS jsonb), :bundleDigest, :bundleSize, :createdAt)""")
    void insert(@BindMethods AppRow row);

    @SqlQuery("SELECT " + COLUMNS + " FROM apps WHERE name = :name AND version = :version")
    Optional<AppRow> find(@Bind("name") String name, @Bind("version") String version);

    /** Who owns the other versions of an app name: a new version must come from the same owner. */
    @SqlQuery("SELECT DISTINCT owner_id FROM apps WHERE name = :name")
    List<String> ownersOf(@Bind("name") String name);

    @SqlUpdate("UPDATE apps SET visibility = :visibility WHERE id = :id")
    int updateVisibility(@Bind("id") UUID id, @Bind("visibility") String visibility);

    @SqlUpdate("DELETE FROM apps WHERE id = :id")
    int delete(@Bind("id") UUID id);

    /** Every digest a row points to: what blob storage must keep. */
    @SqlQuery("""
            SELECT bundle_digest FROM apps
            UNION
            SELECT digest FROM app_images""")
    List<String> referencedDigests();

    @SqlQuery("""
            SELECT EXISTS (SELECT 1 FROM apps WHERE bundle_digest = :digest)
                OR EXISTS (SELECT 1 FROM app_images WHERE digest = :digest)""")
    boolean isReferenced(@Bind("digest") String digest);
}
