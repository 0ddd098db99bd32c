-- Objectives and key results of strategic themes, and the key results'
-- check-ins, on SQLite. The PostgreSQL twin (migrations/postgres/00003_okrs.sql)
-- has the same tables, columns, constraints and indexes; only the types
-- differ. Conventions of 00001_init.sql: INTEGER unix microseconds UTC, dates
-- as TEXT YYYY-MM-DD, STRICT tables, AUTOINCREMENT ids.
--
-- portfolio_id is copied from the theme onto objectives and key results so
-- that permission checks and audit chains need no join. Check-ins keep the
-- raw measured value; progress is computed, never stored.

-- +goose Up
CREATE TABLE objectives (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    theme_id     INTEGER NOT NULL REFERENCES themes (id),
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    title        TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    owner        TEXT    NOT NULL DEFAULT '',
    period_start TEXT,
    period_end   TEXT,
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX objectives_theme ON objectives (theme_id, id);

CREATE TABLE key_results (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    objective_id INTEGER NOT NULL REFERENCES objectives (id),
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    title        TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    baseline     REAL    NOT NULL,
    target       REAL    NOT NULL CHECK (target <> baseline),
    weight       REAL    NOT NULL CHECK (weight > 0),
    created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX key_results_objective ON key_results (objective_id, id);

-- check_ins_latest finds a key result's newest measurement; check_ins_list
-- pages through its check-ins in the order recorded.
CREATE TABLE check_ins (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    key_result_id INTEGER NOT NULL REFERENCES key_results (id),
    at            INTEGER NOT NULL,
    value         REAL    NOT NULL,
    confidence    INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 10),
    status        TEXT    NOT NULL CHECK (status IN ('on_track', 'at_risk', 'off_track')),
    note          TEXT    NOT NULL DEFAULT '',
    recorded_by   TEXT    NOT NULL,
    recorded_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX check_ins_latest ON check_ins (key_result_id, at DESC, id DESC);
CREATE INDEX check_ins_list ON check_ins (key_result_id, id);

-- +goose Down
DROP TABLE check_ins;
DROP TABLE key_results;
DROP TABLE objectives;
