package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Failed sign-ins, per user name, for lpm.SignInState.Throttle. The domain
// decides what a failure does to the state (SignInState.Fail); the store
// only makes concurrent attempts count one after another.

var (
	signInStateSQL = fixed(`SELECT failures, last_failure FROM sign_in_attempts WHERE name = $1`)
	// newSignInSQL makes sure the name has a row, which the SELECT … FOR
	// UPDATE that follows then locks: two failures at once each count.
	newSignInSQL    = fixed(`INSERT INTO sign_in_attempts (name, failures, last_failure) VALUES ($1, 0, 0) ON CONFLICT (name) DO NOTHING`)
	updateSignInSQL = fixed(`UPDATE sign_in_attempts SET failures = $1, last_failure = $2 WHERE name = $3`)
	// pruneSignInSQL forgets failures too old to count (SignInForgetAfter),
	// so that names tried once by someone guessing do not pile up.
	pruneSignInSQL  = fixed(`DELETE FROM sign_in_attempts WHERE last_failure < $1`)
	deleteSignInSQL = fixed(`DELETE FROM sign_in_attempts WHERE name = $1`)
)

// signInState reads the state of a name; lock is "" or the dialect's FOR
// UPDATE. A name without failures has the zero state.
func signInState(ctx context.Context, q querier, name, lock string) (lpm.SignInState, error) {
	st := lpm.SignInState{Name: name}
	var last int64
	err := q.QueryRowContext(ctx, signInStateSQL+lock, name).Scan(&st.Failures, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("read failed sign-ins of %q: %w", name, err)
	}
	if last != 0 {
		st.LastFailure = fromMicros(last)
	}
	return st, nil
}

// SignInState returns the failed sign-ins remembered for a user name.
func (s *Store) SignInState(ctx context.Context, name string) (lpm.SignInState, error) {
	return signInState(ctx, s.read, name, "")
}

// AttemptSignIn decides an attempt at signing in as the name before its
// password is checked (lpm.SignInState.Attempt): it returns how long the name
// must wait, or counts the attempt as a failure in advance, which ResetSignIn
// clears when the password is right. Concurrent attempts are decided one
// after another on the locked row, so a burst cannot pass the throttle
// together.
func (s *Store) AttemptSignIn(ctx context.Context, name string) (wait time.Duration, locked bool, err error) {
	err = s.changeSignIn(ctx, name, "decide a sign-in attempt", func(st lpm.SignInState, now time.Time) lpm.SignInState {
		var next lpm.SignInState
		next, wait, locked = st.Attempt(now)
		return next
	})
	return wait, locked, err
}

// RecordSignInFailure adds a failure for the name (lpm.SignInState.Fail),
// whatever the throttle says, and returns the new state. Sign-in itself uses
// AttemptSignIn; this sets up a state, for tests and tools.
func (s *Store) RecordSignInFailure(ctx context.Context, name string) (lpm.SignInState, error) {
	var st lpm.SignInState
	err := s.changeSignIn(ctx, name, "record failed sign-in", func(old lpm.SignInState, now time.Time) lpm.SignInState {
		st = old.Fail(now)
		return st
	})
	return st, err
}

// changeSignIn replaces the state of the name with change(state, now), on
// the row locked for the transaction, and forgets other names' failures too
// old to count.
func (s *Store) changeSignIn(ctx context.Context, name, what string, change func(lpm.SignInState, time.Time) lpm.SignInState) error {
	return s.inTx(ctx, what, func(tx *dbtx) error {
		now := lpm.Now()
		if _, err := tx.ExecContext(ctx, pruneSignInSQL, toMicros(now.Add(-lpm.SignInForgetAfter))); err != nil {
			return fmt.Errorf("forget old failed sign-ins: %w", err)
		}
		if _, err := tx.ExecContext(ctx, newSignInSQL, name); err != nil {
			return fmt.Errorf("remember sign-ins of %q: %w", name, err)
		}
		old, err := signInState(ctx, tx, name, s.d.forUpdate)
		if err != nil {
			return err
		}
		st := change(old, now)
		if st == old {
			return nil
		}
		if _, err := tx.ExecContext(ctx, updateSignInSQL, st.Failures, toMicros(st.LastFailure), name); err != nil {
			return fmt.Errorf("store sign-in state of %q: %w", name, err)
		}
		return nil
	})
}

// ResetSignIn forgets the failures of the name, after a successful sign-in.
func (s *Store) ResetSignIn(ctx context.Context, name string) error {
	return s.writeOne(ctx, "reset failed sign-ins", deleteSignInSQL, name)
}
