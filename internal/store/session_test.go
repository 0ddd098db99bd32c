package store_test

import (
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/testenv"
)

// A session works until it expires, stays idle too long, is deleted, or its
// user changes password or is disabled.
func TestSessions(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		bob := createUser(t, s, "bob", false)
		open := func(sess lpm.Session) (*lpm.Session, string) {
			t.Helper()
			secret, csrf, err := lpm.NewSessionSecrets()
			must(t, err)
			sess.UserID, sess.CSRFToken = bob.ID, csrf
			must(t, s.CreateSession(ctx, &sess, secret))
			return &sess, secret
		}
		gone := func(secret string) {
			t.Helper()
			_, _, err := s.FindSession(ctx, secret)
			wantCode(t, err, lpm.ENOTFOUND, "")
		}

		sess, secret := open(lpm.Session{Address: "192.0.2.1", UserAgent: "Firefox"})
		if sess.ID == 0 || sess.ExpiresAt.Sub(sess.CreatedAt) != lpm.SessionLifetime || !sess.LastSeenAt.Equal(sess.CreatedAt) {
			t.Errorf("created session = %+v", sess)
		}
		got, u, err := s.FindSession(ctx, secret)
		must(t, err)
		diff(t, "session", sess, got)
		diff(t, "session user", bob, u)
		gone("lpms_nosuchsession")
		wantCode(t, s.CreateSession(ctx, &lpm.Session{UserID: 999}, "x"), lpm.ENOTFOUND, "")

		// Used after a while: LastSeenAt moves forward, and is stored. A peek
		// (a page refreshing itself) finds the session but does not count as
		// its use.
		now := lpm.Now()
		_, stale := open(lpm.Session{CreatedAt: now.Add(-time.Hour), LastSeenAt: now.Add(-5 * time.Minute)})
		peeked, _, err := s.PeekSession(ctx, stale)
		must(t, err)
		if since(peeked.LastSeenAt) < 5*time.Minute {
			t.Errorf("a peek moved last seen to %v", peeked.LastSeenAt)
		}
		touched, _, err := s.FindSession(ctx, stale)
		must(t, err)
		if since(touched.LastSeenAt) > time.Minute {
			t.Errorf("last seen %v after use", touched.LastSeenAt)
		}
		again, _, err := s.FindSession(ctx, stale)
		must(t, err)
		if !again.LastSeenAt.Equal(touched.LastSeenAt) {
			t.Errorf("last seen %v, then %v: not stored, or moved again within a minute", touched.LastSeenAt, again.LastSeenAt)
		}

		_, expired := open(lpm.Session{CreatedAt: now.Add(-13 * time.Hour), LastSeenAt: now.Add(-time.Minute * 30), ExpiresAt: now.Add(-time.Hour)})
		gone(expired)
		_, idle := open(lpm.Session{CreatedAt: now.Add(-3 * time.Hour), LastSeenAt: now.Add(-lpm.SessionIdleTimeout - time.Minute)})
		gone(idle)
		if _, _, err := s.PeekSession(ctx, idle); lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			t.Errorf("peek at an idle session: %v", err)
		}

		// Sign-out.
		_, out := open(lpm.Session{})
		must(t, s.DeleteSession(ctx, out))
		gone(out)
		must(t, s.DeleteSession(ctx, out))

		// A password change ends every session of the user.
		must(t, s.SetPassword(ctx, bob.ID, "$argon2id$new", bob.Actor()))
		gone(secret)
		gone(stale)

		// So does disabling the user; a disabled user opens none.
		_, secret = open(lpm.Session{})
		_, err = s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{Disabled: ptr(true)}, admin)
		must(t, err)
		gone(secret)
		wantCode(t, s.CreateSession(ctx, &lpm.Session{UserID: bob.ID, CSRFToken: "c"}, "lpms_x"), lpm.EFORBIDDEN, "")
		_, err = s.UpdateUser(ctx, bob.ID, lpm.UserUpdate{Disabled: ptr(false)}, admin)
		must(t, err)
		gone(secret)

		// Ended sessions are pruned when their user signs in again.
		now = lpm.Now()
		open(lpm.Session{CreatedAt: now.Add(-3 * time.Hour), LastSeenAt: now.Add(-lpm.SessionIdleTimeout - time.Minute)})
		open(lpm.Session{})
		var n int
		db := rawDB(t, s, dsn)
		must(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1`, bob.ID).Scan(&n))
		if n != 1 {
			t.Errorf("%d sessions stored, want the one live session", n)
		}
	})
}

// Failed sign-ins are counted per name, one after another however they
// race, forgotten after an hour and on success.
func TestSignInState(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		st, err := s.SignInState(ctx, "bob")
		must(t, err)
		diff(t, "no failures", lpm.SignInState{Name: "bob"}, st)

		for i := 1; i <= 3; i++ {
			st, err = s.RecordSignInFailure(ctx, "bob")
			must(t, err)
			if st.Failures != i || since(st.LastFailure) > time.Minute || st.Name != "bob" {
				t.Fatalf("after failure %d: %+v", i, st)
			}
		}
		stored, err := s.SignInState(ctx, "bob")
		must(t, err)
		diff(t, "stored state", st, stored)
		if wait, _ := stored.Throttle(lpm.Now()); wait == 0 {
			t.Error("three failures do not slow the next attempt")
		}

		const racers = 16
		done := make(chan error, racers)
		for range racers {
			go func() {
				_, err := s.RecordSignInFailure(ctx, "eve")
				done <- err
			}()
		}
		for range racers {
			must(t, <-done)
		}
		st, err = s.SignInState(ctx, "eve")
		must(t, err)
		if st.Failures != racers {
			t.Errorf("%d racing failures counted as %d", racers, st.Failures)
		}

		// Attempts racing on a clean name: each is decided on the state the
		// one before left, so only the first SignInSlowAfter go on to a
		// password check, and the rest are told to wait without counting.
		passed := make(chan bool, racers)
		for range racers {
			go func() {
				wait, _, err := s.AttemptSignIn(ctx, "mallory")
				if err != nil {
					t.Error(err)
				}
				passed <- err == nil && wait == 0
			}()
		}
		checked := 0
		for range racers {
			if <-passed {
				checked++
			}
		}
		if checked != lpm.SignInSlowAfter {
			t.Errorf("%d racing attempts passed the throttle, want %d", checked, lpm.SignInSlowAfter)
		}
		if st, err = s.SignInState(ctx, "mallory"); err != nil || st.Failures != lpm.SignInSlowAfter {
			t.Errorf("racing attempts counted as %d failures (%v), want %d", st.Failures, err, lpm.SignInSlowAfter)
		}

		// An hour without failures forgets them.
		rawExec(t, s, dsn, `UPDATE sign_in_attempts SET last_failure = last_failure - $1 WHERE name = 'bob'`,
			(lpm.SignInForgetAfter + time.Minute).Microseconds())
		st, err = s.RecordSignInFailure(ctx, "bob")
		must(t, err)
		if st.Failures != 1 {
			t.Errorf("failures after an hour's pause: %d, want 1", st.Failures)
		}

		must(t, s.ResetSignIn(ctx, "eve"))
		st, err = s.SignInState(ctx, "eve")
		must(t, err)
		diff(t, "after a reset", lpm.SignInState{Name: "eve"}, st)
		must(t, s.ResetSignIn(ctx, "nobody"))
	})
}
