-- How far a projection of the journal has come: the last journal ordering it wrote, per projection.
CREATE TABLE projection_offset (
    projection_name VARCHAR(255) PRIMARY KEY,
    journal_offset  BIGINT       NOT NULL,
    updated_at      TIMESTAMPTZ  NOT NULL
);
