package lpm

import (
	"fmt"
	"time"
)

// SignInState is what the store remembers of recent failed sign-ins for one
// user name: failures are slowed, then locked out for a while (Throttle).
type SignInState struct {
	Name        string
	Failures    int
	LastFailure time.Time
}

// Sign-in throttling: after SlowAfter failures each further attempt must wait
// an increasing delay since the last failure; after LockAfter failures the
// name is locked for LockFor. Failures are forgotten after ForgetAfter
// without one, or on a successful sign-in.
const (
	SignInSlowAfter   = 3
	SignInLockAfter   = 10
	SignInLockFor     = 15 * time.Minute
	SignInForgetAfter = time.Hour
	signInMaxDelay    = time.Minute
)

// Throttle returns how long from now the name must wait before its next
// sign-in attempt is even checked (0 when it may try now), and whether that
// wait is a lock-out.
func (s SignInState) Throttle(now time.Time) (wait time.Duration, locked bool) {
	if s.Failures == 0 || now.Sub(s.LastFailure) >= SignInForgetAfter {
		return 0, false
	}
	var delay time.Duration
	switch {
	case s.Failures >= SignInLockAfter:
		delay, locked = SignInLockFor, true
	case s.Failures >= SignInSlowAfter:
		// 1 s after the third failure, doubling each time, at most a minute.
		delay = min(time.Second<<(s.Failures-SignInSlowAfter), signInMaxDelay)
	default:
		return 0, false
	}
	if wait = s.LastFailure.Add(delay).Sub(now); wait <= 0 {
		return 0, false
	}
	return wait, locked
}

// Fail returns the state after one more failure at now.
func (s SignInState) Fail(now time.Time) SignInState {
	if now.Sub(s.LastFailure) >= SignInForgetAfter {
		s.Failures = 0
	}
	s.Failures++
	s.LastFailure = now
	return s
}

// Attempt decides a sign-in attempt at now, before its password is checked.
// When the name must wait, it returns the wait and the state unchanged.
// Otherwise it returns the state with this attempt already counted as a
// failure, which a right password then clears: counting first makes guesses
// sent at the same moment count one after another, so a burst of them cannot
// all pass the throttle on the same clean state.
func (s SignInState) Attempt(now time.Time) (next SignInState, wait time.Duration, locked bool) {
	if wait, locked = s.Throttle(now); wait > 0 {
		return s, wait, locked
	}
	return s.Fail(now), 0, false
}

// ThrottleError is the error for an attempt made too soon, with the wait in
// words (the adapter sends it as Retry-After too).
func ThrottleError(wait time.Duration, locked bool) *Error {
	secs := RetryAfterSeconds(wait)
	if locked {
		return Errorf(ETHROTTLED, "too many failed sign-ins for this account: it is locked for %d more minutes; try again later or ask a site admin to reset the password", (secs+59)/60)
	}
	return Errorf(ETHROTTLED, "too many failed sign-ins: wait %s before trying again", fmt.Sprintf("%d s", secs))
}

// RetryAfterSeconds rounds a wait up to whole seconds, for Retry-After.
func RetryAfterSeconds(wait time.Duration) int { return int((wait + time.Second - 1) / time.Second) }
