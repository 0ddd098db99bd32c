-- WSJF estimation rounds, on SQLite: the epics a round scores, and each
-- person's scores (the latest per person and epic). The PostgreSQL twin
-- (migrations/postgres/00005_wsjf_estimation.sql) differs only in types.

-- +goose Up
CREATE TABLE estimation_rounds (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    title        TEXT    NOT NULL,
    closed       INTEGER NOT NULL DEFAULT 0 CHECK (closed IN (0, 1)),
    created_by   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    closed_at    INTEGER
) STRICT;
CREATE INDEX estimation_rounds_list ON estimation_rounds (portfolio_id, id);

CREATE TABLE estimation_round_epics (
    round_id INTEGER NOT NULL REFERENCES estimation_rounds (id),
    position INTEGER NOT NULL CHECK (position >= 0),
    epic_id  INTEGER NOT NULL REFERENCES epics (id),
    PRIMARY KEY (round_id, position),
    UNIQUE (round_id, epic_id)
) STRICT;
-- Deleting an epic finds its rounds through this index.
CREATE INDEX estimation_round_epics_epic ON estimation_round_epics (epic_id);

CREATE TABLE estimates (
    round_id            INTEGER NOT NULL REFERENCES estimation_rounds (id),
    epic_id             INTEGER NOT NULL REFERENCES epics (id),
    estimator           TEXT    NOT NULL,
    user_business_value INTEGER NOT NULL CHECK (user_business_value IN (1, 2, 3, 5, 8, 13, 20)),
    time_criticality    INTEGER NOT NULL CHECK (time_criticality IN (1, 2, 3, 5, 8, 13, 20)),
    risk_reduction      INTEGER NOT NULL CHECK (risk_reduction IN (1, 2, 3, 5, 8, 13, 20)),
    job_size            INTEGER NOT NULL CHECK (job_size IN (1, 2, 3, 5, 8, 13, 20)),
    at                  INTEGER NOT NULL,
    PRIMARY KEY (round_id, epic_id, estimator)
) STRICT;
CREATE INDEX estimates_epic ON estimates (epic_id);

-- +goose Down
DROP TABLE estimates;
DROP TABLE estimation_round_epics;
DROP TABLE estimation_rounds;
