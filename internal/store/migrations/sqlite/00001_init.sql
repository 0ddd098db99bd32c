-- The first schema of lpm on SQLite. The PostgreSQL twin of this file
-- (migrations/postgres/00001_init.sql) has the same tables, columns,
-- constraints and indexes; only the types differ.
--
-- Conventions (the same on both dialects):
--   * timestamps are INTEGER unix microseconds UTC: both drivers scan them
--     into an int64 the same way, they keep the microsecond precision of
--     lpm.Now, and they index and compare as plain numbers;
--   * dates (PI cadence start, theme validity) are TEXT 'YYYY-MM-DD';
--   * lists of strings or small objects are JSON TEXT, never NULL ('[]');
--   * booleans are INTEGER 0/1 (BOOLEAN on PostgreSQL);
--   * tables are STRICT, so a value of the wrong type fails instead of being
--     stored as whatever SQLite makes of it;
--   * surrogate ids are AUTOINCREMENT, so an id is never used twice: without
--     it SQLite hands the id of a deleted newest row to the next insert, and a
--     link, log line or bookmark to the deleted epic would name another one
--     (PostgreSQL identity columns never reuse a value either).

-- +goose Up
CREATE TABLE users (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL UNIQUE,
    display_name TEXT    NOT NULL DEFAULT '',
    is_admin     INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    hash       TEXT    NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE portfolios (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Names are unique (case-sensitively), so people can tell portfolios apart.
    name            TEXT    NOT NULL UNIQUE,
    description     TEXT    NOT NULL DEFAULT '',
    currency        TEXT    NOT NULL CHECK (length(currency) = 3),
    key_prefix      TEXT    NOT NULL CHECK (key_prefix <> ''),
    pi_start        TEXT    NOT NULL,
    pi_length_weeks INTEGER NOT NULL CHECK (pi_length_weeks BETWEEN 1 AND 26),
    -- epic_seq is the last number used in an epic key of this portfolio.
    epic_seq        INTEGER NOT NULL DEFAULT 0 CHECK (epic_seq >= 0),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE kanban_columns (
    portfolio_id   INTEGER NOT NULL REFERENCES portfolios (id),
    state          TEXT    NOT NULL CHECK (state IN ('funnel', 'reviewing', 'analyzing', 'ready',
                                           'implementing_mvp', 'implementing_persevere', 'done')),
    position       INTEGER NOT NULL,
    wip_limit      INTEGER CHECK (wip_limit BETWEEN 0 AND 10000),
    enforcement    TEXT    NOT NULL CHECK (enforcement IN ('block', 'warn')),
    allow_backward INTEGER NOT NULL CHECK (allow_backward IN (0, 1)),
    PRIMARY KEY (portfolio_id, state)
) STRICT, WITHOUT ROWID;

CREATE TABLE value_streams (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    kind         TEXT    NOT NULL CHECK (kind IN ('development', 'operational')),
    arts         TEXT    NOT NULL DEFAULT '[]',
    solutions    TEXT    NOT NULL DEFAULT '[]',
    supports     TEXT    NOT NULL DEFAULT '[]',
    created_at   INTEGER NOT NULL,
    UNIQUE (portfolio_id, name)
) STRICT;
CREATE INDEX value_streams_list ON value_streams (portfolio_id, id);

CREATE TABLE themes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    name         TEXT    NOT NULL,
    description  TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL CHECK (status IN ('draft', 'active', 'retired')),
    valid_from   TEXT,
    valid_to     TEXT,
    created_at   INTEGER NOT NULL,
    UNIQUE (portfolio_id, name)
) STRICT;
CREATE INDEX themes_list ON themes (portfolio_id, id);

CREATE TABLE epics (
    id                         INTEGER PRIMARY KEY AUTOINCREMENT,
    portfolio_id               INTEGER NOT NULL REFERENCES portfolios (id),
    key                        TEXT    NOT NULL,
    title                      TEXT    NOT NULL,
    description                TEXT    NOT NULL DEFAULT '',
    type                       TEXT    NOT NULL CHECK (type IN ('business', 'enabler')),
    epic_owner_id              INTEGER REFERENCES users (id),
    state                      TEXT    NOT NULL CHECK (state IN ('funnel', 'reviewing', 'analyzing', 'ready',
                                                       'implementing_mvp', 'implementing_persevere', 'done')),
    done_reason                TEXT    NOT NULL DEFAULT '' CHECK (done_reason IN ('', 'completed',
                                   'stopped_after_mvp', 'pivoted', 'no_go', 'not_pursued', 'declined',
                                   'cancelled', 'rerouted')),
    hyp_for_customers          TEXT    NOT NULL DEFAULT '',
    hyp_who                    TEXT    NOT NULL DEFAULT '',
    hyp_solution_name          TEXT    NOT NULL DEFAULT '',
    hyp_is_a                   TEXT    NOT NULL DEFAULT '',
    hyp_that                   TEXT    NOT NULL DEFAULT '',
    hyp_unlike                 TEXT    NOT NULL DEFAULT '',
    hyp_our_solution           TEXT    NOT NULL DEFAULT '',
    hyp_business_outcomes      TEXT    NOT NULL DEFAULT '[]',
    hyp_leading_indicators     TEXT    NOT NULL DEFAULT '[]',
    hyp_nfrs                   TEXT    NOT NULL DEFAULT '[]',
    wsjf_user_business_value   INTEGER NOT NULL DEFAULT 0 CHECK (wsjf_user_business_value IN (0, 1, 2, 3, 5, 8, 13, 20)),
    wsjf_time_criticality      INTEGER NOT NULL DEFAULT 0 CHECK (wsjf_time_criticality IN (0, 1, 2, 3, 5, 8, 13, 20)),
    wsjf_risk_reduction        INTEGER NOT NULL DEFAULT 0 CHECK (wsjf_risk_reduction IN (0, 1, 2, 3, 5, 8, 13, 20)),
    wsjf_job_size              INTEGER NOT NULL DEFAULT 0 CHECK (wsjf_job_size IN (0, 1, 2, 3, 5, 8, 13, 20)),
    -- backlog_rank is the epic's WSJF, or -1 while it is not fully scored
    -- (every scored WSJF is positive, so unscored epics sort last). The store
    -- rewrites it on every write; the board orders by it.
    backlog_rank               REAL    NOT NULL,
    cost_mvp_internal          INTEGER NOT NULL DEFAULT 0 CHECK (cost_mvp_internal >= 0),
    cost_mvp_supplier          INTEGER NOT NULL DEFAULT 0 CHECK (cost_mvp_supplier >= 0),
    cost_full_internal         INTEGER NOT NULL DEFAULT 0 CHECK (cost_full_internal >= 0),
    cost_full_supplier         INTEGER NOT NULL DEFAULT 0 CHECK (cost_full_supplier >= 0),
    mvp_description            TEXT    NOT NULL DEFAULT '',
    -- search_text is what a text search matches: key, title and description,
    -- case-folded by the store (searchText) on every write of them. The
    -- database's own LOWER folds ASCII letters only on SQLite, so folding in
    -- Go gives both engines the same, Unicode-aware answer.
    search_text                TEXT    NOT NULL DEFAULT '',
    pivoted_from               INTEGER REFERENCES epics (id) ON DELETE SET NULL,
    version                    INTEGER NOT NULL CHECK (version >= 1),
    created_at                 INTEGER NOT NULL,
    updated_at                 INTEGER NOT NULL,
    state_entered_at           INTEGER NOT NULL,
    UNIQUE (portfolio_id, key),
    CHECK ((state = 'done') = (done_reason <> ''))
) STRICT;
-- The board reads each column in backlog order (lpm.CompareBacklog) straight
-- off this index, and counts a column's epics from it.
CREATE INDEX epics_board ON epics (portfolio_id, state, backlog_rank DESC, created_at, id);
-- The done column shows the most recently finished epics first
-- (lpm.CompareDone); partial, so moves between other columns do not pay for it.
CREATE INDEX epics_done ON epics (portfolio_id, state_entered_at DESC, id DESC) WHERE state = 'done';
CREATE INDEX epics_list ON epics (portfolio_id, id);
-- Foreign-key lookups when an epic or a decision is deleted. These columns
-- are mostly NULL, and partial indexes skip those rows: fewer pages written
-- by the inserts of every move.
CREATE INDEX epics_pivoted_from ON epics (pivoted_from) WHERE pivoted_from IS NOT NULL;

CREATE TABLE epic_themes (
    epic_id  INTEGER NOT NULL REFERENCES epics (id),
    theme_id INTEGER NOT NULL REFERENCES themes (id),
    PRIMARY KEY (epic_id, theme_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX epic_themes_theme ON epic_themes (theme_id, epic_id);

CREATE TABLE epic_value_streams (
    epic_id         INTEGER NOT NULL REFERENCES epics (id),
    value_stream_id INTEGER NOT NULL REFERENCES value_streams (id),
    PRIMARY KEY (epic_id, value_stream_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX epic_value_streams_value_stream ON epic_value_streams (value_stream_id, epic_id);

CREATE TABLE decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    epic_id     INTEGER NOT NULL REFERENCES epics (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('advance_to_analyzing', 'go', 'no_go', 'persevere', 'pivot',
                                             'stop', 'complete', 'override', 'mvp_evaluation')),
    outcome     TEXT    NOT NULL DEFAULT '',
    rationale   TEXT    NOT NULL DEFAULT '',
    -- decided_by is a user name as the decision was recorded, kept as text so
    -- imported history may name people who have no account.
    decided_by  TEXT    NOT NULL DEFAULT '',
    decided_at  INTEGER NOT NULL,
    new_epic_id INTEGER REFERENCES epics (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX decisions_epic ON decisions (epic_id, decided_at, id);
CREATE INDEX decisions_new_epic ON decisions (new_epic_id) WHERE new_epic_id IS NOT NULL;

-- epic_transitions is append-only: the source of every flow metric.
CREATE TABLE epic_transitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    epic_id     INTEGER NOT NULL REFERENCES epics (id),
    from_state  TEXT    NOT NULL CHECK (from_state IN ('', 'funnel', 'reviewing', 'analyzing', 'ready',
                                                   'implementing_mvp', 'implementing_persevere', 'done')),
    to_state    TEXT    NOT NULL CHECK (to_state IN ('funnel', 'reviewing', 'analyzing', 'ready',
                                                 'implementing_mvp', 'implementing_persevere', 'done')),
    done_reason TEXT    NOT NULL DEFAULT '',
    actor       TEXT    NOT NULL DEFAULT '',
    at          INTEGER NOT NULL,
    reason      TEXT    NOT NULL DEFAULT '',
    override    INTEGER NOT NULL DEFAULT 0 CHECK (override IN (0, 1)),
    over_limit  INTEGER NOT NULL DEFAULT 0 CHECK (over_limit IN (0, 1)),
    decision_id INTEGER REFERENCES decisions (id)
) STRICT;
CREATE INDEX epic_transitions_epic ON epic_transitions (epic_id, id);
CREATE INDEX epic_transitions_decision ON epic_transitions (decision_id) WHERE decision_id IS NOT NULL;

-- +goose Down
DROP TABLE epic_transitions;
DROP TABLE decisions;
DROP TABLE epic_value_streams;
DROP TABLE epic_themes;
DROP TABLE epics;
DROP TABLE themes;
DROP TABLE value_streams;
DROP TABLE kanban_columns;
DROP TABLE portfolios;
DROP TABLE api_tokens;
DROP TABLE users;
