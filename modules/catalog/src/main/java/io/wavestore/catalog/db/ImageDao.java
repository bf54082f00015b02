package io.wavestore.catalog.db;

import java.util.List;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Icons and screenshots of app versions. */
@RegisterConstructorMapper(ImageRow.class)
public interface ImageDao {

    @SqlUpdate("""
            INSERT INTO app_images (app_id, kind, position, digest, media_type, size, width, height)
            VALUES (:appId, :kind, :position, :digest, :mediaType, :size, :width, :height)""")
    void insert(@BindMethods ImageRow row);

    @SqlQuery("""
            SELECT app_id, kind, position, digest, media_type, size, width, height
            FROM app_images WHERE app_id = ANY(:ids) ORDER BY app_id, kind, position""")
    List<ImageRow> forApps(@Bind("ids") UUID[] ids);
}
