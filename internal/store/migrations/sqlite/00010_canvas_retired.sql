-- Future-state candidates can be retired (and restored): a retired one
-- keeps its versions but is no longer offered as a candidate, and takes no
-- new version and no adoption until restored. NULL while it is live. The
-- PostgreSQL twin is migrations/postgres/00010_canvas_retired.sql.

-- +goose Up
ALTER TABLE canvas_states ADD COLUMN retired_at INTEGER;

-- +goose Down
ALTER TABLE canvas_states DROP COLUMN retired_at;
