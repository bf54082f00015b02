-- Full-text search over what the gallery shows; weights favour the name and title.
ALTER TABLE apps ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(long_description, '')), 'C')
) STORED;

CREATE INDEX apps_search_idx ON apps USING gin (search);
