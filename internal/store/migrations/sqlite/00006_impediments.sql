-- Impediments of a portfolio, on SQLite. The PostgreSQL twin
-- (migrations/postgres/00006_impediments.sql) differs only in types.
-- epic_id and value_stream_id name what an impediment holds up; NULL for
-- none.

-- +goose Up
CREATE TABLE impediments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id    INTEGER NOT NULL REFERENCES portfolios (id),
    title           TEXT    NOT NULL,
    description     TEXT    NOT NULL DEFAULT '',
    owner           TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved')),
    epic_id         INTEGER REFERENCES epics (id),
    value_stream_id INTEGER REFERENCES value_streams (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    resolved_at     INTEGER
) STRICT;
CREATE INDEX impediments_list ON impediments (portfolio_id, id);
-- Deleting an epic finds the impediments that name it.
CREATE INDEX impediments_epic ON impediments (epic_id) WHERE epic_id IS NOT NULL;

-- +goose Down
DROP TABLE impediments;
