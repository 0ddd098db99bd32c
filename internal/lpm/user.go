package lpm

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// User is a person (or service account) who signs in to lpm. What they may
// do in each portfolio comes from their roles there (Membership); IsAdmin
// marks a site admin.
type User struct {
	ID          int64
	Name        string
	DisplayName string
	Email       string
	IsAdmin     bool
	// Disabled users cannot sign in, and their tokens and sessions stop working.
	Disabled  bool
	CreatedAt time.Time
}

// Actor returns the user as the permission rules see them, without roles;
// the adapter fills Access, ReadOnly and Address.
func (u *User) Actor() Actor { return Actor{UserID: u.ID, Name: u.Name, IsAdmin: u.IsAdmin} }

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// MaxEmailLen bounds e-mail addresses (RFC 5321's path limit).
const MaxEmailLen = 254

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	var vs violations
	if !userNameRE.MatchString(u.Name) {
		vs.add("name", "format", "user name must be 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	vs.checkText("display_name", u.DisplayName, MaxNameLen)
	vs.checkText("email", u.Email, MaxEmailLen)
	if u.Email != "" && (!strings.Contains(u.Email, "@") || strings.ContainsAny(u.Email, " \t\r\n")) {
		vs.add("email", "format", "email must be an address like name@example.com")
	}
	return vs.err(EINVALID, "invalid user")
}

// UserUpdate changes a user; nil fields stay as they are.
type UserUpdate struct {
	DisplayName *string
	Email       *string
	IsAdmin     *bool
	Disabled    *bool
}

// Apply returns u with the update applied, validated.
func (upd UserUpdate) Apply(u User) (*User, error) {
	if upd.DisplayName != nil {
		u.DisplayName = *upd.DisplayName
	}
	if upd.Email != nil {
		u.Email = *upd.Email
	}
	if upd.IsAdmin != nil {
		u.IsAdmin = *upd.IsAdmin
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	return &u, nil
}

// ActiveSiteAdmin reports whether u acts as a site admin: one not disabled.
func (u *User) ActiveSiteAdmin() bool { return u.IsAdmin && !u.Disabled }

// KeepsASiteAdmin refuses a change from before to after that would leave the
// site without an active site admin: nobody could then manage users or
// create portfolios from the web or the API. others counts the other active
// site admins. (The command line can still make one: lpm user add --admin.)
func KeepsASiteAdmin(before, after *User, others int) error {
	if !before.ActiveSiteAdmin() || after.ActiveSiteAdmin() || others > 0 {
		return nil
	}
	field, what := "is_admin", "stop being a site admin"
	if after.Disabled {
		field, what = "disabled", "be disabled"
	}
	return &Error{Code: ECONFLICT, Message: fmt.Sprintf("%s is the last site admin and cannot %s", before.Name, what),
		Violations: []Violation{{Field: field, Rule: "last_site_admin",
			Message: "make someone else a site admin first, so that someone can still manage users and portfolios"}}}
}

// TokenScope limits what an API token may do.
type TokenScope string

// Token scopes.
const (
	ScopeRead      TokenScope = "read"
	ScopeReadWrite TokenScope = "read_write"
)

// Token is an API token. Only its hash is stored; the secret is shown once.
type Token struct {
	ID     int64
	UserID int64
	Name   string
	Scope  TokenScope
	// ExpiresAt is when the token stops working; zero never (only the CLI
	// may create such tokens).
	ExpiresAt time.Time
	CreatedAt time.Time
	// LastUsedAt is when the token last authenticated a request, to the
	// minute; zero if never.
	LastUsedAt time.Time
}

// Token lifetimes.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 2 * 365 * 24 * time.Hour
)

// NewToken validates a token someone asks for at now. A zero ExpiresAt gets
// the default lifetime; the scope defaults to read_write.
func NewToken(t Token, now time.Time) (*Token, error) {
	var vs violations
	t.Name = strings.TrimSpace(t.Name)
	if t.Name == "" {
		vs.add("name", "required", "name is required: say what the token is for, e.g. \"ci pipeline\"")
	}
	vs.checkText("name", t.Name, MaxNameLen)
	switch t.Scope {
	case "":
		t.Scope = ScopeReadWrite
	case ScopeRead, ScopeReadWrite:
	default:
		vs.add("scope", "enum", "scope must be read or read_write, got %q", t.Scope)
	}
	if t.ExpiresAt.IsZero() {
		t.ExpiresAt = now.Add(DefaultTokenLifetime)
	}
	if !t.ExpiresAt.After(now) {
		vs.add("expires_at", "future", "expires_at must be in the future")
	} else if t.ExpiresAt.Sub(now) > MaxTokenLifetime {
		vs.add("expires_at", "max", "expires_at must be at most two years ahead")
	}
	if err := vs.err(EINVALID, "invalid token"); err != nil {
		return nil, err
	}
	t.ExpiresAt = t.ExpiresAt.UTC().Truncate(time.Microsecond)
	t.CreatedAt = now
	return &t, nil
}

// Expired reports whether the token no longer works at now.
func (t *Token) Expired(now time.Time) bool { return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt) }

// tokenPrefix marks lpm tokens so secret scanners and people recognise them.
const tokenPrefix = "lpm_"

// NewTokenSecret returns a fresh random token secret (160 bits).
func NewTokenSecret() (string, error) { return newSecret(tokenPrefix, 20) }

// newSecret returns prefix followed by n random bytes in lower-case base32.
func newSecret(prefix string, n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return prefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// HashToken returns the stored form of a token or session secret. These are
// long random strings, so a plain SHA-256 is enough (no salt or slow hash
// needed) and lets the store look them up by hash.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
