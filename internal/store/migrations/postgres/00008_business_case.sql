-- The rest of an epic's lean business case (sponsors, expected timeline,
-- analysis summary, incremental implementation strategy) and the runway an
-- enabler epic builds. Lists are JSON arrays in TEXT, as the hypothesis's
-- are; existing epics start with none. The same on SQLite and PostgreSQL.

-- +goose Up
ALTER TABLE epics ADD COLUMN lbc_sponsors TEXT NOT NULL DEFAULT '[]';
ALTER TABLE epics ADD COLUMN lbc_expected_timeline TEXT NOT NULL DEFAULT '';
ALTER TABLE epics ADD COLUMN lbc_analysis_summary TEXT NOT NULL DEFAULT '';
ALTER TABLE epics ADD COLUMN lbc_implementation_strategy TEXT NOT NULL DEFAULT '';
ALTER TABLE epics ADD COLUMN runway TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE epics DROP COLUMN runway;
ALTER TABLE epics DROP COLUMN lbc_implementation_strategy;
ALTER TABLE epics DROP COLUMN lbc_analysis_summary;
ALTER TABLE epics DROP COLUMN lbc_expected_timeline;
ALTER TABLE epics DROP COLUMN lbc_sponsors;
