package lpm

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password rules.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, one
// lane), which takes about 30 ms on the machines lpm is tested on. They are
// stored with every hash, so raising them later keeps old hashes working.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// ValidatePassword checks a new password.
func ValidatePassword(pw string) error {
	var vs violations
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		vs.add("password", "format", "password must be valid UTF-8")
	case n < MinPasswordLen:
		vs.add("password", "min_length", "password must be at least %d characters; a few unrelated words make a good one", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		vs.add("password", "max_length", "password must be at most %d bytes", MaxPasswordLen)
	case controlChar(pw, false):
		vs.add("password", "control_characters", "password must not contain control characters")
	}
	return vs.err(EINVALID, "invalid password")
}

// HashPassword returns the PHC-format argon2id hash of pw:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the stored hash, in constant time.
// A malformed hash never matches.
func CheckPassword(hash, pw string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var mem uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil || mem == 0 || t == 0 || p == 0 || mem > 1<<21 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when a user does not exist or has no
// password, so that sign-in takes as long either way and its timing does not
// tell which user names exist.
var dummyHash = func() string {
	h, _ := HashPassword("lpm-dummy-password-never-matches")
	return h
}()

// DummyPasswordCheck spends the time of one password check.
func DummyPasswordCheck(pw string) { CheckPassword(dummyHash, pw) }
