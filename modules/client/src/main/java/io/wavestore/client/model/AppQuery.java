package io.wavestore.client.model;

/**
 * A filter of {@code GET /apps}; null fields are left out.
 *
 * @param latest only the newest version of each app
 */
public record AppQuery(String name, String tag, Visibility visibility, String owner, String q, boolean latest,
        Integer limit, Integer offset) {

    public static AppQuery all() {
        return new AppQuery(null, null, null, null, null, false, null, null);
    }

    public static AppQuery latestVersions() {
        return all().withLatest(true);
    }

    public AppQuery withName(String value) {
        return new AppQuery(value, tag, visibility, owner, q, latest, limit, offset);
    }

    public AppQuery withTag(String value) {
        return new AppQuery(name, value, visibility, owner, q, latest, limit, offset);
    }

    public AppQuery withOwner(String value) {
        return new AppQuery(name, tag, visibility, value, q, latest, limit, offset);
    }

    public AppQuery withText(String value) {
        return new AppQuery(name, tag, visibility, owner, value, latest, limit, offset);
    }

    public AppQuery withLatest(boolean value) {
        return new AppQuery(name, tag, visibility, owner, q, value, limit, offset);
    }

    public AppQuery withPage(int newLimit, int newOffset) {
        return new AppQuery(name, tag, visibility, owner, q, latest, newLimit, newOffset);
    }
}
