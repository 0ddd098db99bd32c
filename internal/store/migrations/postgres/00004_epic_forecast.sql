-- The inputs of SAFe's epic forecast, on PostgreSQL: for each ART working on an
-- epic, the epic's remaining size on that train, the train's velocity and
-- the share of it the epic gets. The SQLite twin
-- (migrations/sqlite/00004_epic_forecast.sql) differs only in types. The
-- forecast itself is computed, never stored.

-- +goose Up
CREATE TABLE epic_art_shares (
    epic_id          BIGINT  NOT NULL REFERENCES epics (id),
    position         INTEGER NOT NULL CHECK (position >= 0),
    art              TEXT    NOT NULL,
    remaining_points DOUBLE PRECISION NOT NULL CHECK (remaining_points >= 0),
    velocity         DOUBLE PRECISION NOT NULL CHECK (velocity > 0),
    allocation       DOUBLE PRECISION NOT NULL CHECK (allocation > 0 AND allocation <= 1),
    PRIMARY KEY (epic_id, position),
    UNIQUE (epic_id, art)
);

-- +goose Down
DROP TABLE epic_art_shares;
