package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// session signs user in as the web pages would, and returns the cookie's
// secret and the session's CSRF token.
func (e *env) session(user string) (secret, csrf string) {
	e.t.Helper()
	secret, csrf, err := lpm.NewSessionSecrets()
	if err != nil {
		e.t.Fatal(err)
	}
	now := lpm.Now()
	s := &lpm.Session{UserID: e.users[user].ID, CSRFToken: csrf, CreatedAt: now, ExpiresAt: now.Add(lpm.SessionLifetime),
		LastSeenAt: now, Address: "127.0.0.1", UserAgent: "test"}
	if err := e.st.CreateSession(context.Background(), s, secret); err != nil {
		e.t.Fatalf("create session: %v", err)
	}
	return secret, csrf
}

func TestSessionCookieAndCSRF(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		pid := e.portfolio("P")
		secret, csrf := e.session(alice)
		epics := fmt.Sprintf("/api/v1/portfolios/%d/epics", pid)
		send := func(cookie, method, path, csrfHeader string, body any) *response {
			t.Helper()
			req := e.request(method, path, body)
			req.AddCookie(&http.Cookie{Name: cookie, Value: secret})
			if csrfHeader != "" {
				req.Header.Set(httpauth.CSRFHeader, csrfHeader)
			}
			return e.send(req)
		}
		newEpic := map[string]any{"title": "From the browser", "type": "business"}
		for _, cookie := range []string{httpauth.SessionCookieInsecure, httpauth.SessionCookie} {
			t.Run(cookie, func(t *testing.T) {
				r := send(cookie, "GET", "/api/v1/me", "", nil)
				if r.status != http.StatusOK {
					t.Fatalf("GET /me with the cookie: %d %s", r.status, r.body)
				}
				checkFields(t, r.json(t), map[string]any{"name": alice, "authenticated_by": "session", "token_scope": absent})
				if r := send(cookie, "GET", epics, "", nil); r.status != http.StatusOK {
					t.Errorf("GET with the cookie: %d %s", r.status, r.body)
				}
				p := wantProblem(t, send(cookie, "POST", epics, "", newEpic), 403, "urn:lpm:problem:forbidden")
				if p.Detail != "missing or wrong CSRF token" {
					t.Errorf("detail %q", p.Detail)
				}
				wantProblem(t, send(cookie, "POST", epics, csrf+"x", newEpic), 403, "urn:lpm:problem:forbidden")
				wantProblem(t, send(cookie, "DELETE", "/api/v1/me/tokens/1", "", nil), 403, "urn:lpm:problem:forbidden")
				r = send(cookie, "POST", epics, csrf, newEpic)
				if r.status != http.StatusCreated {
					t.Errorf("POST with the CSRF token: %d %s", r.status, r.body)
				}
			})
		}
		// Two epics were created, one per cookie name; the refused requests made none.
		checkFields(t, e.must(http.StatusOK, alice, "GET", epics, nil), map[string]any{"items.1.title": "From the browser", "items.2": absent})

		// An unknown or ended session is no session.
		req := e.request("GET", "/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: httpauth.SessionCookieInsecure, Value: "lpms_unknown"})
		wantProblem(t, e.send(req), 401, "urn:lpm:problem:unauthorized")
		if err := e.st.DeleteSession(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
		wantProblem(t, send(httpauth.SessionCookieInsecure, "GET", "/api/v1/me", "", nil), 401, "urn:lpm:problem:unauthorized")

		// A bearer header is judged on its own, whatever cookie comes with it.
		secret2, _ := e.session(alice)
		req = e.request("GET", "/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: httpauth.SessionCookieInsecure, Value: secret2})
		req.Header.Set("Authorization", "Bearer lpm_notatoken")
		wantProblem(t, e.send(req), 401, "urn:lpm:problem:unauthorized")
	})
}
