package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
)

// signedInAs is a browser signed in as name.
func (s *site) signedInAs(t *testing.T, name, password string) *browser {
	t.Helper()
	b := s.browser(t)
	wantStatus(t, b.signIn(name, password, "/"), http.StatusSeeOther)
	return b
}

// withCSRF is values with the CSRF token of the page the form is on.
func withCSRF(t *testing.T, p page, values url.Values) url.Values {
	t.Helper()
	out := url.Values{httpauth.CSRFField: {p.csrf(t)}}
	for k, v := range values {
		out[k] = v
	}
	return out
}

var noticeRE = regexp.MustCompile(`<p class="(notice|alert)" role="(?:status|alert)">([^<]*)</p>`)

// wantNotice follows p's redirect and fails unless the page it lands on
// shows msg as its one-time notice (or, with alert, as a refusal); it
// returns that page.
func (b *browser) wantNotice(t *testing.T, p page, msg string, alert bool) page {
	t.Helper()
	wantStatus(t, p, http.StatusSeeOther)
	landed := b.follow(p)
	wantStatus(t, landed, http.StatusOK)
	m := noticeRE.FindStringSubmatch(landed.body)
	kind := "notice"
	if alert {
		kind = "alert"
	}
	if m == nil || m[1] != kind || html.UnescapeString(m[2]) != msg {
		t.Errorf("%s: notice %q, want the %s %q", landed.url, m, kind, msg)
	}
	return landed
}
