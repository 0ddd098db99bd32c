-- The portfolio canvas and vision, on SQLite. The PostgreSQL twin
-- (migrations/postgres/00009_canvas.sql) has the same tables, columns,
-- constraints and indexes; only the types differ. Conventions of
-- 00001_init.sql: unix microseconds UTC, dates as TEXT YYYY-MM-DD.
--
-- A portfolio's canvas has states: its current state (kind current, name '')
-- and named future-state candidates. Each save of a state appends a
-- version, numbered from 1 in its state; versions are never updated or
-- deleted. A current version adopted from a candidate names that candidate
-- version in adopted_from.

-- +goose Up
CREATE TABLE canvas_states (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('current', 'future')),
    name         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    CHECK ((kind = 'current') = (name = '')),
    UNIQUE (portfolio_id, name)
) STRICT;

CREATE TABLE canvas_versions (
    id                      INTEGER PRIMARY KEY AUTOINCREMENT,
    state_id                INTEGER NOT NULL REFERENCES canvas_states (id),
    portfolio_id            INTEGER NOT NULL REFERENCES portfolios (id),
    number                  INTEGER NOT NULL CHECK (number > 0),
    value_propositions      TEXT    NOT NULL DEFAULT '',
    customers               TEXT    NOT NULL DEFAULT '',
    channels                TEXT    NOT NULL DEFAULT '',
    customer_relationships  TEXT    NOT NULL DEFAULT '',
    value_streams_solutions TEXT    NOT NULL DEFAULT '',
    key_partners            TEXT    NOT NULL DEFAULT '',
    key_activities          TEXT    NOT NULL DEFAULT '',
    key_resources           TEXT    NOT NULL DEFAULT '',
    cost_structure          TEXT    NOT NULL DEFAULT '',
    revenue_streams         TEXT    NOT NULL DEFAULT '',
    budget                  TEXT    NOT NULL DEFAULT '',
    kpis                    TEXT    NOT NULL DEFAULT '',
    vision                  TEXT    NOT NULL DEFAULT '',
    reviewed_on             TEXT,
    adopted_from            INTEGER REFERENCES canvas_versions (id),
    saved_by                TEXT    NOT NULL,
    saved_at                INTEGER NOT NULL,
    UNIQUE (state_id, number)
) STRICT;
CREATE INDEX canvas_versions_portfolio ON canvas_versions (portfolio_id, id);

-- +goose Down
DROP TABLE canvas_versions;
DROP TABLE canvas_states;
