package lpm

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
)

// User is a person (or service account) who signs in to lpm. Roles per
// portfolio arrive later; until then IsAdmin is the one distinction.
type User struct {
	ID          int64
	Name        string
	DisplayName string
	IsAdmin     bool
	CreatedAt   time.Time
}

// Actor returns the user as the Kanban rules see them.
func (u *User) Actor() Actor { return Actor{Name: u.Name, IsAdmin: u.IsAdmin} }

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	var vs violations
	if !userNameRE.MatchString(u.Name) {
		vs.add("name", "format", "user name must be 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	vs.checkText("display_name", u.DisplayName, MaxNameLen)
	return vs.err(EINVALID, "invalid user")
}

// Token is an API token. Only its hash is stored; the secret is shown once.
type Token struct {
	ID        int64
	UserID    int64
	Name      string
	Hash      string
	CreatedAt time.Time
}

// tokenPrefix marks lpm tokens so secret scanners and people recognise them.
const tokenPrefix = "lpm_"

// NewTokenSecret returns a fresh random token secret (160 bits).
func NewTokenSecret() (string, error) {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return tokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// HashToken returns the stored form of a token secret. Tokens are long random
// strings, so a plain SHA-256 is enough (no salt or slow hash needed) and lets
// the store look tokens up by hash.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
