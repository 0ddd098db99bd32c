package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/api"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// env is a real lpm API on a real store, with users holding API tokens: a
// site admin, and people who hold roles in every portfolio the test makes
// with env.portfolio (alice is its portfolio admin, carol a contributor,
// victor a viewer) or none (bob).
type env struct {
	t     testing.TB
	st    *store.Store
	srv   *httptest.Server
	token map[string]string    // by user name; "" sends no token
	users map[string]*lpm.User // by name
}

// Who a request is sent as.
const (
	admin  = "admin"
	alice  = "alice"
	bob    = "bob"
	carol  = "carol"
	victor = "victor"
	nobody = ""
	bogus  = "bogus"
	// aliceRO sends alice's read-only token.
	aliceRO = "alice (read-only)"
)

// system is lpm acting on the test's behalf, outside the API.
var system = lpm.SystemActor("test")

// forEachStore runs f against a fresh server on each store kind.
func forEachStore(t *testing.T, f func(t *testing.T, e *env)) {
	t.Helper()
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		f(t, newEnv(t, dsn))
	})
}

func newEnv(t testing.TB, dsn string) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, nil)
	if err != nil {
		t.Fatalf("open store %s: %v", dsn, err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, st: st, token: map[string]string{bogus: "lpm_notatokenanyoneissued"}, users: map[string]*lpm.User{}}
	for _, u := range []*lpm.User{{Name: admin, IsAdmin: true}, {Name: alice, DisplayName: "Alice"}, {Name: bob}, {Name: carol}, {Name: victor}} {
		e.token[u.Name] = e.newUser(u, lpm.ScopeReadWrite)
	}
	e.token[aliceRO] = e.newToken(e.users[alice], lpm.ScopeRead)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	e.srv = httptest.NewServer(api.New(st, logger))
	t.Cleanup(e.srv.Close)
	return e
}

// newUser stores u and returns a token of scope for them.
func (e *env) newUser(u *lpm.User, scope lpm.TokenScope) string {
	e.t.Helper()
	if err := e.st.CreateUser(context.Background(), u, "", system); err != nil {
		e.t.Fatalf("create user %s: %v", u.Name, err)
	}
	e.users[u.Name] = u
	return e.newToken(u, scope)
}

// newToken stores a token of scope for u and returns its secret.
func (e *env) newToken(u *lpm.User, scope lpm.TokenScope) string {
	e.t.Helper()
	tok, err := lpm.NewToken(lpm.Token{UserID: u.ID, Name: "test " + string(scope), Scope: scope}, lpm.Now())
	if err != nil {
		e.t.Fatalf("new token: %v", err)
	}
	secret, err := e.st.CreateToken(context.Background(), tok, system)
	if err != nil {
		e.t.Fatalf("create token for %s: %v", u.Name, err)
	}
	return secret
}

// grant gives user role in portfolio pid, as lpm itself.
func (e *env) grant(pid int64, user string, role lpm.Role) {
	e.t.Helper()
	if err := e.st.Grant(context.Background(), lpm.Membership{PortfolioID: pid, UserID: e.users[user].ID, UserName: user, Role: role}, system); err != nil {
		e.t.Fatalf("grant %s to %s in portfolio %d: %v", role, user, pid, err)
	}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value for path lookups.
func (r *response) json(t testing.TB) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.body)
	}
	return v
}

// do sends a request as who. body is sent as is when it is a string or
// []byte, and as JSON otherwise (nil sends no body).
func (e *env) do(who, method, path string, body any) *response {
	e.t.Helper()
	req := e.request(method, path, body)
	if tok := e.token[who]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return e.send(req)
}

// csvBody is a request body sent as it is, as text/csv.
type csvBody string

// request builds a request with a JSON body and no credentials: nil for
// none, a string or []byte sent as it is (as JSON), a csvBody as CSV, and
// anything else encoded.
func (e *env) request(method, path string, body any) *http.Request {
	e.t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	case csvBody:
		rd, contentType = strings.NewReader(string(b)), "text/csv"
	default:
		j, err := json.Marshal(body)
		if err != nil {
			e.t.Fatalf("marshal body: %v", err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// send sends a request as it is.
func (e *env) send(req *http.Request) *response {
	e.t.Helper()
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", req.Method, req.URL.Path, err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}
}

// must sends a request and fails the test unless it gets status want; it
// returns the decoded JSON body.
func (e *env) must(want int, who, method, path string, body any) map[string]any {
	e.t.Helper()
	r := e.do(who, method, path, body)
	if r.status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	m, _ := r.json(e.t).(map[string]any)
	return m
}

// lookup finds a value in decoded JSON by a dotted path; list elements are
// addressed by index ("items.0.key").
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	for _, part := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = x[part]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// absent marks a JSON field that must not be in the response.
type absentT struct{}

var absent = absentT{}

// checkFields compares each path of want with the response, after a JSON
// round trip of the wanted value (so ints compare with JSON numbers).
func checkFields(t testing.TB, got any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		g, ok := lookup(got, path)
		if _, isAbsent := w.(absentT); isAbsent {
			if ok {
				t.Errorf("%s = %v, want it absent", path, g)
			}
			continue
		}
		if !ok {
			t.Errorf("%s missing in %v", path, got)
			continue
		}
		if d := cmp.Diff(normalize(t, w), g); d != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", path, d)
		}
	}
}

func normalize(t testing.TB, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal %v: %v", v, err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("unmarshal %s: %v", b, err)
	}
	return out
}

// problem is a decoded problem response.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field    string `json:"field"`
		Location string `json:"location"`
		Rule     string `json:"rule"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// wantProblem fails unless r is a problem+json response of the given status
// and type whose errors name every field in fields (by field or location).
func wantProblem(t testing.TB, r *response, status int, typ string, fields ...string) problem {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("problem is not JSON (%v): %s", err, r.body)
	}
	if p.Type != typ || p.Status != status || p.Title == "" {
		t.Errorf("problem type %q status %d title %q, want type %q status %d and a title", p.Type, p.Status, p.Title, typ, status)
	}
	for _, f := range fields {
		found := false
		for _, e := range p.Errors {
			if e.Field == f || e.Location == f {
				found = true
				if e.Message == "" || e.Rule == "" {
					t.Errorf("error for %s lacks a message or rule: %+v", f, e)
				}
			}
		}
		if !found {
			t.Errorf("problem does not name %s: %s", f, r.body)
		}
	}
	return p
}

// Fixtures, made through the API itself.

// portfolio creates a portfolio as the site admin, makes alice its portfolio
// admin, carol a contributor and victor a viewer, and returns its id.
func (e *env) portfolio(name string) int64 {
	e.t.Helper()
	p := e.must(http.StatusCreated, admin, "POST", "/api/v1/portfolios", map[string]any{"name": name})
	pid := id(p)
	e.grant(pid, alice, lpm.RolePortfolioAdmin)
	e.grant(pid, carol, lpm.RoleContributor)
	e.grant(pid, victor, lpm.RoleViewer)
	return pid
}

func id(m map[string]any) int64 {
	f, _ := m["id"].(float64)
	return int64(f)
}

// valueStream creates a development value stream in portfolio pid.
func (e *env) valueStream(pid int64, name string) int64 {
	e.t.Helper()
	v := e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/value-streams", pid),
		map[string]any{"name": name, "kind": "development"})
	return id(v)
}

// theme creates an active strategic theme in portfolio pid.
func (e *env) theme(pid int64, name string) int64 {
	e.t.Helper()
	v := e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/themes", pid), map[string]any{"name": name})
	return id(v)
}

// epic proposes an epic with the given extra fields and returns it.
func (e *env) epic(pid int64, title string, extra map[string]any) map[string]any {
	e.t.Helper()
	body := map[string]any{"title": title, "type": "business"}
	for k, v := range extra {
		body[k] = v
	}
	return e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/portfolios/%d/epics", pid), body)
}

// readyBody is everything an epic needs for every policy up to
// implementation, except decisions.
func readyBody(vsID int64, wsjf [4]int) map[string]any {
	return map[string]any{
		"epic_owner": alice,
		"hypothesis": map[string]any{
			"for_customers": "portfolio managers", "who": "steer investment", "solution_name": "lpm",
			"is_a": "web application", "that": "shows flow", "unlike": "spreadsheets", "our_solution": "enforces WIP",
			"business_outcomes": []string{"less WIP"}, "leading_indicators": []string{"cycle time"},
		},
		"wsjf_components": map[string]any{"user_business_value": wsjf[0], "time_criticality": wsjf[1],
			"risk_reduction_opportunity_enablement": wsjf[2], "job_size": wsjf[3]},
		"costs":            map[string]any{"mvp_internal": 100000, "full_internal": 500000},
		"mvp_description":  "a board",
		"value_stream_ids": []int64{vsID},
	}
}

// move transitions an epic and fails unless it gets status want.
func (e *env) move(who string, epicID int64, want int, body map[string]any) map[string]any {
	e.t.Helper()
	return e.must(want, who, "POST", fmt.Sprintf("/api/v1/epics/%d/transitions", epicID), body)
}

// decide records a decision about an epic.
func (e *env) decide(epicID int64, kind, outcome string) map[string]any {
	e.t.Helper()
	body := map[string]any{"kind": kind, "rationale": "because " + kind}
	if outcome != "" {
		body["outcome"] = outcome
	}
	return e.must(http.StatusCreated, alice, "POST", fmt.Sprintf("/api/v1/epics/%d/decisions", epicID), body)
}

// toAnalyzing takes an epic created with readyBody from the funnel to
// analyzing, recording the decision that move rests on.
func (e *env) toAnalyzing(epicID int64) {
	e.t.Helper()
	e.move(alice, epicID, http.StatusOK, map[string]any{"to": "reviewing"})
	e.decide(epicID, "advance_to_analyzing", "")
	e.move(alice, epicID, http.StatusOK, map[string]any{"to": "analyzing"})
}

// toReady takes an epic created with readyBody from the funnel to ready.
func (e *env) toReady(epicID int64) {
	e.t.Helper()
	e.toAnalyzing(epicID)
	e.decide(epicID, "go", "")
	e.move(alice, epicID, http.StatusOK, map[string]any{"to": "ready"})
}
