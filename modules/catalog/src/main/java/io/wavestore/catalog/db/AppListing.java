package io.wavestore.catalog.db;

import io.wavestore.catalog.model.AppQuery;
import io.wavestore.identity.Caller;
import io.wavestore.identity.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Lists app versions with a query's filters and the caller's access rules in SQL, so that paging counts only
 * what the caller may see. The rule is the same as {@code CatalogAccess.canSee}; CatalogServiceIT checks the
 * two agree. Only fixed SQL fragments are concatenated; every value is bound.
 */
public final class AppListing {

    /** The visibility rule of CatalogAccess, over the row alias {@code a}. */
    private static final String VISIBLE_TO_CALLER = """
            (:admin
             OR (:signedIn AND a.owner_id = :callerId)
             OR a.visibility = 'PUBLIC'
             OR (a.visibility = 'ALL_USERS' AND (:fullUser OR (:visitor AND EXISTS (
                    SELECT 1 FROM app_tags at JOIN tags t ON t.name = at.tag_name
                    WHERE at.app_id = a.id AND t.visitor_roles && CAST(:claimRoles AS text[]))))))""";

    private AppListing() {
    }

    public record Result(List<AppRow> rows, long total) {
    }

    public static Result list(Handle handle, AppQuery query, Caller caller) {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("admin", caller.isAdmin());
        bindings.put("signedIn", caller.signedIn());
        bindings.put("callerId", caller.id());
        bindings.put("fullUser", caller.role() == Role.FULL_USER || caller.isAdmin());
        bindings.put("visitor", caller.role() == Role.VISITOR);
        bindings.put("claimRoles", caller.claimRoles().toArray(String[]::new));

        List<String> where = new ArrayList<>();
        where.add(VISIBLE_TO_CALLER);
        query.name().ifPresent(name -> {
            where.add("a.name = :name");
            bindings.put("name", name);
        });
        query.visibility().ifPresent(visibility -> {
            where.add("a.visibility = :visibilityFilter");
            bindings.put("visibilityFilter", visibility.name());
        });
        query.owner().ifPresent(owner -> {
            where.add("a.owner_id = :owner");
            bindings.put("owner", owner);
        });
        query.tag().ifPresent(tag -> {
            where.add("EXISTS (SELECT 1 FROM app_tags ft WHERE ft.app_id = a.id AND ft.tag_name = :tag)");
            bindings.put("tag", tag);
        });
        query.text().ifPresent(text -> {
            // Full-text for words, and a substring match so that a half-typed name still finds its app.
            // '!' escapes LIKE wildcards: JDBI's statement parser would take a backslash as its own escape.
            where.add("(a.search @@ websearch_to_tsquery('english', :text)"
                    + " OR a.name ILIKE :like ESCAPE '!' OR a.title ILIKE :like ESCAPE '!')");
            bindings.put("text", text);
            bindings.put("like", "%" + escapeLike(text) + "%");
        });

        String ranked = "SELECT " + AppDao.COLUMNS
                + ", row_number() OVER (PARTITION BY a.name ORDER BY a.version_key DESC) AS rank"
                + " FROM apps a WHERE " + String.join(" AND ", where);
        String matches = "SELECT * FROM (" + ranked + ") r" + (query.latestOnly() ? " WHERE rank = 1" : "");

        long total = handle.createQuery("SELECT count(*) FROM (" + matches + ") c")
                .bindMap(bindings)
                .mapTo(Long.class)
                .one();
        List<AppRow> rows = total == 0 ? List.of() : handle
                .createQuery(matches + " ORDER BY name, version_key DESC LIMIT :limit OFFSET :offset")
                .bindMap(bindings)
                .bind("limit", query.limit())
                .bind("offset", query.offset())
                .map(ConstructorMapper.of(AppRow.class))
                .list();
        return new Result(rows, total);
    }

    private static String escapeLike(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
