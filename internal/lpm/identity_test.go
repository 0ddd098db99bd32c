package lpm

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashing(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not PHC argon2id with the documented parameters", h)
	}
	if !CheckPassword(h, "correct horse battery") {
		t.Error("the right password does not match")
	}
	if CheckPassword(h, "correct horse batterY") {
		t.Error("a wrong password matches")
	}
	h2, _ := HashPassword("correct horse battery")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=0,t=2,p=1$AAAA$AAAA", "$bcrypt$x", h[:len(h)-4] + "!!!!"} {
		if CheckPassword(bad, "correct horse battery") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
}

func TestValidatePassword(t *testing.T) {
	for pw, ok := range map[string]bool{
		"short":                    false,
		"twelve chars":             true,
		"line\nbreak in it please": false,
		strings.Repeat("x", 257):   false,
		"ünïcödé pässwörd":         true,
	} {
		if got := ValidatePassword(pw) == nil; got != ok {
			t.Errorf("ValidatePassword(%q) ok=%v, want %v", pw, got, ok)
		}
	}
}

func TestSignInThrottle(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var s SignInState
	for i := 0; i < SignInSlowAfter-1; i++ {
		s = s.Fail(now)
	}
	if wait, _ := s.Throttle(now); wait != 0 {
		t.Errorf("after %d failures: wait %v, want none", s.Failures, wait)
	}
	s = s.Fail(now) // the third: 1 s
	if wait, locked := s.Throttle(now); wait != time.Second || locked {
		t.Errorf("after 3 failures: wait %v locked %v, want 1s", wait, locked)
	}
	s = s.Fail(now) // the fourth: 2 s, of which 500 ms passed
	if wait, _ := s.Throttle(now.Add(500 * time.Millisecond)); wait != 1500*time.Millisecond {
		t.Errorf("after 4 failures and 0.5 s: wait %v, want 1.5s", wait)
	}
	for s.Failures < SignInLockAfter {
		s = s.Fail(now)
	}
	wait, locked := s.Throttle(now.Add(time.Minute))
	if !locked || wait != SignInLockFor-time.Minute {
		t.Errorf("after %d failures: wait %v locked %v, want locked for 14m", s.Failures, wait, locked)
	}
	if wait, _ := s.Throttle(now.Add(SignInLockFor)); wait != 0 {
		t.Errorf("after the lock: wait %v", wait)
	}
	if s2 := s.Fail(now.Add(SignInForgetAfter)); s2.Failures != 1 {
		t.Errorf("failures an hour old are not forgotten: %d", s2.Failures)
	}
	msg := ThrottleError(90*time.Second, true).Error()
	if !strings.Contains(msg, "locked for 2 more minutes") {
		t.Errorf("lock message %q", msg)
	}
	if RetryAfterSeconds(1500*time.Millisecond) != 2 {
		t.Error("Retry-After must round up")
	}
}

func TestNewToken(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	tok, err := NewToken(Token{UserID: 1, Name: " ci "}, now)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Name != "ci" || tok.Scope != ScopeReadWrite || !tok.ExpiresAt.Equal(now.Add(DefaultTokenLifetime)) {
		t.Errorf("defaults: %+v", tok)
	}
	if !tok.Expired(tok.ExpiresAt) || tok.Expired(tok.ExpiresAt.Add(-time.Microsecond)) {
		t.Error("Expired is wrong at the boundary")
	}
	_, err = NewToken(Token{Name: "", Scope: "admin", ExpiresAt: now.Add(3 * 365 * 24 * time.Hour)}, now)
	var fields []string
	for _, v := range AsError(err).Violations {
		fields = append(fields, v.Field)
	}
	if strings.Join(fields, ",") != "name,scope,expires_at" {
		t.Errorf("violations %v, want name, scope, expires_at", fields)
	}
	if _, err := NewToken(Token{Name: "x", ExpiresAt: now}, now); ErrorCodeOf(err) != EINVALID {
		t.Error("a token expiring now is accepted")
	}
	s1, _ := NewTokenSecret()
	s2, _ := NewTokenSecret()
	if s1 == s2 || !strings.HasPrefix(s1, "lpm_") || len(s1) != 4+32 {
		t.Errorf("token secrets %q %q", s1, s2)
	}
}

func TestSessionLife(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	s := Session{CreatedAt: now, ExpiresAt: now.Add(SessionLifetime), LastSeenAt: now}
	if !s.Live(now.Add(time.Hour)) {
		t.Error("a fresh session is not live")
	}
	if s.Live(now.Add(SessionIdleTimeout)) {
		t.Error("an idle session is live")
	}
	s.LastSeenAt = now.Add(SessionLifetime - time.Minute)
	if s.Live(now.Add(SessionLifetime)) {
		t.Error("a session past its lifetime is live")
	}
	if !s.NeedsTouch(s.LastSeenAt.Add(time.Minute)) || s.NeedsTouch(s.LastSeenAt.Add(time.Second)) {
		t.Error("NeedsTouch wrong")
	}
	sec, csrf, err := NewSessionSecrets()
	if err != nil || sec == csrf || !strings.HasPrefix(sec, "lpms_") {
		t.Errorf("session secrets %q %q %v", sec, csrf, err)
	}
}

func TestRoleSet(t *testing.T) {
	s := NewRoleSet(RoleViewer, RoleEpicOwner)
	if !s.Has(RoleViewer) || !s.Has(RoleEpicOwner) || s.Has(RolePortfolioAdmin) {
		t.Errorf("set %v", s.List())
	}
	if got := s.Add(RolePortfolioAdmin).List(); len(got) != 3 || got[0] != RolePortfolioAdmin {
		t.Errorf("List order %v", got)
	}
	if _, err := ParseRole("emperor"); ErrorCodeOf(err) != EINVALID {
		t.Error("unknown role parsed")
	}
	if r, err := ParseRole(" viewer "); err != nil || r != RoleViewer {
		t.Errorf("ParseRole: %v %v", r, err)
	}
}

// A burst of attempts at the same moment: each is counted before its
// password is checked, so only the first SignInSlowAfter get through.
func TestSignInAttemptCountsFirst(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	var s SignInState
	passed := 0
	for range 20 {
		next, wait, locked := s.Attempt(now)
		if wait == 0 {
			passed++
			if next.Failures != s.Failures+1 || !next.LastFailure.Equal(now) {
				t.Fatalf("an attempt let through is not counted: %+v after %+v", next, s)
			}
		} else if next != s || locked {
			t.Fatalf("a refused attempt changed the state or locked: %+v after %+v (locked %v)", next, s, locked)
		}
		s = next
	}
	if passed != SignInSlowAfter {
		t.Errorf("%d attempts at one moment got through, want %d", passed, SignInSlowAfter)
	}
	// After the wait, the next attempt goes through and is counted.
	if _, wait, _ := s.Attempt(now.Add(time.Second)); wait != 0 {
		t.Errorf("after the 1 s wait: still wait %v", wait)
	}
}
