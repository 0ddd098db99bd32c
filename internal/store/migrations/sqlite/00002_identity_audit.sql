-- Who may do what, how people sign in, and the audit trail, on SQLite. The
-- PostgreSQL twin of this file (migrations/postgres/00002_identity_audit.sql)
-- has the same tables, columns, constraints and indexes; only the types
-- differ. The conventions of 00001_init.sql hold: INTEGER unix microseconds
-- UTC, STRICT tables, AUTOINCREMENT ids, booleans as INTEGER 0/1.
--
-- Rows that already exist keep working: every new column of users and
-- api_tokens has a default that means what lpm did before (a user who may
-- sign in, a read-write token that never expires). Existing portfolios get no
-- members; site admins see them and grant roles.

-- +goose Up

-- email is what single sign-on reported, for people to recognise an
-- account; it identifies nobody (an identity does: external_identities), so
-- it is neither unique nor required. password_hash is '' for users without a
-- password (API tokens or single sign-on only), who cannot sign in with one.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1));
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';

-- expires_at is NULL for tokens that never expire: those created before
-- tokens had lifetimes. revoked_at is set instead of deleting the row, so the
-- audit trail's token ids keep naming a token someone can look up.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'read_write' CHECK (scope IN ('read', 'read_write'));
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;

-- memberships are the roles granted directly: one row per role, so a person
-- may hold several in a portfolio, and granting one held already is a no-op.
CREATE TABLE memberships (
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role         TEXT    NOT NULL CHECK (role IN ('portfolio_admin', 'decision_maker', 'enterprise_architect',
                                                  'epic_owner', 'portfolio_operations', 'contributor', 'viewer')),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (portfolio_id, user_id, role)
) STRICT, WITHOUT ROWID;
-- A user's access is read on every request: by user first.
CREATE INDEX memberships_user ON memberships (user_id, portfolio_id);

-- group_roles map a group of the single sign-on provider to a role in a
-- portfolio; user_groups hold the groups each user had at their latest
-- sign-in. Together they give roles that nobody grants one by one.
CREATE TABLE group_roles (
    portfolio_id INTEGER NOT NULL REFERENCES portfolios (id),
    group_name   TEXT    NOT NULL CHECK (group_name <> ''),
    role         TEXT    NOT NULL CHECK (role IN ('portfolio_admin', 'decision_maker', 'enterprise_architect',
                                                  'epic_owner', 'portfolio_operations', 'contributor', 'viewer')),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (portfolio_id, group_name, role)
) STRICT, WITHOUT ROWID;
-- From a user's groups to the portfolios they open (Access, FindPortfolios).
CREATE INDEX group_roles_group ON group_roles (group_name, portfolio_id, role);

CREATE TABLE user_groups (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_name TEXT    NOT NULL CHECK (group_name <> ''),
    PRIMARY KEY (user_id, group_name)
) STRICT, WITHOUT ROWID;
-- From a portfolio's mapped groups to their members (FindMembers).
CREATE INDEX user_groups_group ON user_groups (group_name, user_id);

-- external_identities link an account at an OpenID Connect provider to a
-- user. Issuer and subject identify the account for good; the e-mail is the
-- one seen at the latest sign-in, for people, never for matching.
CREATE TABLE external_identities (
    issuer       TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email        TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    PRIMARY KEY (issuer, subject)
) STRICT, WITHOUT ROWID;
CREATE INDEX external_identities_user ON external_identities (user_id);

-- sessions are signed-in browsers. The cookie's secret is kept only as its
-- SHA-256 (secret_hash), like API tokens; the CSRF token is not a credential
-- on its own (it is sent in pages), so it is kept as it is.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_hash  TEXT    NOT NULL UNIQUE,
    csrf_token   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    address      TEXT    NOT NULL DEFAULT '',
    user_agent   TEXT    NOT NULL DEFAULT ''
) STRICT;
-- A password change or a disabled user ends every session of the user.
CREATE INDEX sessions_user ON sessions (user_id);

-- sign_in_attempts remember recent failed sign-ins per user name (whether
-- or not such a user exists, so that throttling tells nothing about names).
CREATE TABLE sign_in_attempts (
    name         TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL CHECK (failures >= 0),
    last_failure INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
-- Failures older than lpm.SignInForgetAfter are pruned by age.
CREATE INDEX sign_in_attempts_last_failure ON sign_in_attempts (last_failure);

-- audit_log holds one hash chain per portfolio (portfolio_id 0: the site's
-- users and tokens), so it has no foreign keys: the trail outlives whatever
-- it names. seq numbers a chain's entries from 1 without gaps. before and
-- after are TEXT, not a JSON type: the hash covers their exact bytes, which
-- a JSON type may normalise.
CREATE TABLE audit_log (
    portfolio_id INTEGER NOT NULL,
    seq          INTEGER NOT NULL CHECK (seq >= 1),
    at           INTEGER NOT NULL,
    actor_id     INTEGER NOT NULL DEFAULT 0,
    actor        TEXT    NOT NULL,
    address      TEXT    NOT NULL DEFAULT '',
    action       TEXT    NOT NULL,
    object_type  TEXT    NOT NULL,
    object_id    INTEGER NOT NULL,
    before       TEXT    NOT NULL,
    after        TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    PRIMARY KEY (portfolio_id, seq)
) STRICT;
-- The list filters of FindAudit: by actor and by object, newest first
-- straight off the index. Each index costs every audited write a page (on
-- SQLite a move writes about 9 pages, of which the audit trail takes 4), so
-- a time window has none: it is read newest first off the primary key, which
-- is quick for recent windows and a scan of the newer entries for old ones.
CREATE INDEX audit_log_actor ON audit_log (portfolio_id, actor, seq);
CREATE INDEX audit_log_object ON audit_log (portfolio_id, object_type, object_id, seq);

-- audit_heads keep each chain's newest entry apart from the entries, so that
-- deleting the newest entries is detected too. The head row is also the lock
-- that orders a chain's appends.
CREATE TABLE audit_heads (
    portfolio_id INTEGER PRIMARY KEY,
    seq          INTEGER NOT NULL CHECK (seq >= 0),
    hash         TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
-- Portfolios from before the audit trail start with an empty chain, so that
-- every portfolio has a head and a chain deleted whole is noticed.
INSERT INTO audit_heads (portfolio_id, seq, hash) SELECT id, 0, '' FROM portfolios;

-- +goose Down
DROP TABLE audit_heads;
DROP TABLE audit_log;
DROP TABLE sign_in_attempts;
DROP TABLE sessions;
DROP TABLE external_identities;
DROP TABLE user_groups;
DROP TABLE group_roles;
DROP TABLE memberships;
ALTER TABLE api_tokens DROP COLUMN revoked_at;
ALTER TABLE api_tokens DROP COLUMN last_used_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
ALTER TABLE api_tokens DROP COLUMN scope;
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users DROP COLUMN disabled;
ALTER TABLE users DROP COLUMN email;
