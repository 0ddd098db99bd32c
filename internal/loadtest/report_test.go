package loadtest

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// A run held back by the server's rate limits says how to turn them off.
func TestReportRateLimitHint(t *testing.T) {
	for _, tc := range []struct {
		errors map[int]int
		hint   bool
	}{
		{map[int]int{http.StatusTooManyRequests: 3}, true},
		{map[int]int{http.StatusConflict: 3}, false},
		{nil, false},
	} {
		var out bytes.Buffer
		r := &Report{Phases: []PhaseReport{{Name: "transitions", Errors: tc.errors}}}
		r.Write(&out)
		if got := strings.Contains(out.String(), rateLimitHint); got != tc.hint {
			t.Errorf("errors %v: hint shown %v, want %v:\n%s", tc.errors, got, tc.hint, out.String())
		}
	}
}
