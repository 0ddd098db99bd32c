-- Dependencies between epics and between value streams, on SQLite. The
-- PostgreSQL twin (migrations/postgres/00007_dependencies.sql) differs only
-- in types. Exactly one pair of columns is set: from depends on to.

-- +goose Up
CREATE TABLE dependencies (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id         INTEGER NOT NULL REFERENCES portfolios (id),
    from_epic_id         INTEGER REFERENCES epics (id),
    to_epic_id           INTEGER REFERENCES epics (id),
    from_value_stream_id INTEGER REFERENCES value_streams (id),
    to_value_stream_id   INTEGER REFERENCES value_streams (id),
    description          TEXT    NOT NULL DEFAULT '',
    risk                 TEXT    NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
    due_pi               INTEGER NOT NULL DEFAULT 0 CHECK (due_pi >= 0),
    created_by           TEXT    NOT NULL,
    created_at           INTEGER NOT NULL,
    CHECK ((from_epic_id IS NOT NULL AND to_epic_id IS NOT NULL AND from_value_stream_id IS NULL AND to_value_stream_id IS NULL)
        OR (from_epic_id IS NULL AND to_epic_id IS NULL AND from_value_stream_id IS NOT NULL AND to_value_stream_id IS NOT NULL))
) STRICT;
CREATE INDEX dependencies_list ON dependencies (portfolio_id, id);
-- Deleting an epic finds the dependencies that name it.
CREATE INDEX dependencies_from_epic ON dependencies (from_epic_id) WHERE from_epic_id IS NOT NULL;
CREATE INDEX dependencies_to_epic ON dependencies (to_epic_id) WHERE to_epic_id IS NOT NULL;

-- +goose Down
DROP TABLE dependencies;
