package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/api"
	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// The route walk calls every operation of the OpenAPI document as every
// kind of caller and checks the answer against the permission matrix of
// package lpm: allowed gives 2xx, refused to a member 403, and to someone
// without a role in the portfolio 404 with the very detail a missing object
// gives. The operations come from the document (which a test holds equal
// to the router), so a new route without an entry in walkTable fails.

// world is what the walk runs in: a portfolio P where each persona holds
// its role, a portfolio Q of the persona without a role in P, and users who
// own the epics that are not the persona's.
type world struct {
	e       *env
	ctx     context.Context
	creator lpm.Actor // a site admin, who creates what the walk needs
	pid     int64
	vs, th  int64
	other   *lpm.User // owns the epics that are not the persona's
	seq     int
	pwHash  string
	scored  int64 // the epic estimation rounds score (roundEpic)
}

// persona is one kind of caller.
type persona struct {
	name     string
	user     *lpm.User
	token    string
	readOnly bool
	actor    lpm.Actor // as the API sees them
}

func newWorld(t *testing.T, e *env) (*world, []*persona) {
	t.Helper()
	w := &world{e: e, ctx: context.Background()}
	creator := &lpm.User{Name: "w-creator", IsAdmin: true}
	e.newUser(creator, lpm.ScopeReadWrite)
	w.creator = w.actorOf(creator, false)
	p := &lpm.Portfolio{Name: "Walk"}
	p.WithDefaults(lpm.Now())
	if err := e.st.CreatePortfolio(w.ctx, p, w.creator); err != nil {
		t.Fatalf("create portfolio: %v", err)
	}
	w.pid = p.ID
	q := &lpm.Portfolio{Name: "Elsewhere", KeyPrefix: "EL"}
	q.WithDefaults(lpm.Now())
	if err := e.st.CreatePortfolio(w.ctx, q, w.creator); err != nil {
		t.Fatalf("create portfolio: %v", err)
	}
	// No WIP limit may stop a move the walk expects to be allowed.
	for _, s := range []lpm.State{lpm.Reviewing, lpm.Analyzing, lpm.Ready, lpm.ImplementingMVP, lpm.ImplementingPersevere} {
		if _, err := e.st.UpdateColumn(w.ctx, w.pid, s, lpm.ColumnUpdate{ClearWIPLimit: true}, w.creator); err != nil {
			t.Fatalf("clear WIP limit of %s: %v", s, err)
		}
	}
	vs := &lpm.ValueStream{PortfolioID: w.pid, Name: "Walk stream", Kind: lpm.Development, CreatedAt: lpm.Now(),
		ARTs: []lpm.ART{{Name: "Walk train"}}}
	if err := e.st.CreateValueStream(w.ctx, vs, w.creator); err != nil {
		t.Fatalf("create value stream: %v", err)
	}
	th := &lpm.StrategicTheme{PortfolioID: w.pid, Name: "Walk theme", Status: lpm.ThemeActive, CreatedAt: lpm.Now()}
	if err := e.st.CreateTheme(w.ctx, th, w.creator); err != nil {
		t.Fatalf("create theme: %v", err)
	}
	w.vs, w.th = vs.ID, th.ID
	w.other = &lpm.User{Name: "w-other"}
	e.newUser(w.other, lpm.ScopeReadWrite)
	e.grant(w.pid, w.other.Name, lpm.RoleEpicOwner)
	hash, err := lpm.HashPassword(walkPassword)
	if err != nil {
		t.Fatal(err)
	}
	w.pwHash = hash

	var ps []*persona
	add := func(name string, u *lpm.User, scope lpm.TokenScope) *persona {
		p := &persona{name: name, user: u, token: e.newToken(u, scope), readOnly: scope == lpm.ScopeRead}
		ps = append(ps, p)
		return p
	}
	none := &lpm.User{Name: "w-none"}
	e.newUser(none, lpm.ScopeReadWrite)
	e.grant(q.ID, none.Name, lpm.RolePortfolioAdmin) // a role elsewhere is no role here
	add("no role", none, lpm.ScopeReadWrite)
	for _, r := range lpm.Roles {
		u := &lpm.User{Name: "w-" + strings.ReplaceAll(string(r), "_", "-")}
		e.newUser(u, lpm.ScopeReadWrite)
		e.grant(w.pid, u.Name, r)
		add(string(r), u, lpm.ScopeReadWrite)
	}
	site := &lpm.User{Name: "w-site-admin", IsAdmin: true}
	e.newUser(site, lpm.ScopeReadWrite)
	add("site admin", site, lpm.ScopeReadWrite)
	add("read-only token of a portfolio admin", e.users["w-portfolio-admin"], lpm.ScopeRead)
	for _, p := range ps {
		p.actor = w.actorOf(p.user, p.readOnly)
	}
	return w, ps
}

// actorOf returns u as the API sees them.
func (w *world) actorOf(u *lpm.User, readOnly bool) lpm.Actor {
	w.e.t.Helper()
	a, err := httpauth.Actor(w.ctx, w.e.st, u, readOnly, "")
	if err != nil {
		w.e.t.Fatalf("actor of %s: %v", u.Name, err)
	}
	return a
}

// unique returns prefix followed by a number not used before.
func (w *world) unique(prefix string) string {
	w.seq++
	return fmt.Sprintf("%s%d", prefix, w.seq)
}

// roundEpic is the funnel epic the world's estimation rounds score.
func (w *world) roundEpic() int64 {
	w.e.t.Helper()
	if w.scored == 0 {
		w.scored = w.epic(w.other.Name, lpm.Business, lpm.Funnel).ID
	}
	return w.scored
}

// freshRound opens an estimation round of the world's portfolio.
func (w *world) freshRound() int64 {
	w.e.t.Helper()
	r := &lpm.EstimationRound{PortfolioID: w.pid, Title: w.unique("w-round-"), EpicIDs: []int64{w.roundEpic()}}
	if err := w.e.st.CreateRound(w.ctx, r, w.creator); err != nil {
		w.e.t.Fatalf("create estimation round: %v", err)
	}
	return r.ID
}

func (w *world) freshObjective() int64 {
	w.e.t.Helper()
	o := &lpm.Objective{ThemeID: w.th, Title: w.unique("w-objective-")}
	if err := w.e.st.CreateObjective(w.ctx, o, w.creator); err != nil {
		w.e.t.Fatalf("create objective: %v", err)
	}
	return o.ID
}

func (w *world) freshKeyResult() int64 {
	w.e.t.Helper()
	k := &lpm.KeyResult{ObjectiveID: w.freshObjective(), Title: w.unique("w-key-result-"), Unit: "%", Target: 100, Weight: 1}
	if err := w.e.st.CreateKeyResult(w.ctx, k, w.creator); err != nil {
		w.e.t.Fatalf("create key result: %v", err)
	}
	return k.ID
}

func (w *world) freshUser() *lpm.User {
	w.e.t.Helper()
	u := &lpm.User{Name: w.unique("w-fresh-")}
	if err := w.e.st.CreateUser(w.ctx, u, "", system); err != nil {
		w.e.t.Fatalf("create user: %v", err)
	}
	w.e.users[u.Name] = u
	return u
}

func (w *world) freshToken(u *lpm.User) int64 {
	w.e.t.Helper()
	tok, err := lpm.NewToken(lpm.Token{UserID: u.ID, Name: "fresh"}, lpm.Now())
	if err != nil {
		w.e.t.Fatal(err)
	}
	if _, err := w.e.st.CreateToken(w.ctx, tok, system); err != nil {
		w.e.t.Fatalf("create token: %v", err)
	}
	list, _, err := w.e.st.FindTokens(w.ctx, u.ID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil || len(list) == 0 {
		w.e.t.Fatalf("find tokens of %s: %v", u.Name, err)
	}
	return slices.MaxFunc(list, func(a, b *lpm.Token) int { return int(a.ID - b.ID) }).ID
}

func (w *world) setPassword(u *lpm.User) {
	w.e.t.Helper()
	if err := w.e.st.SetPassword(w.ctx, u.ID, w.pwHash, system); err != nil {
		w.e.t.Fatalf("set password of %s: %v", u.Name, err)
	}
}

// epic makes a fresh epic of owner and type in state, through the Kanban
// as the creator, with the decisions its moves need.
func (w *world) epic(owner string, typ lpm.EpicType, state lpm.State) *lpm.Epic {
	t := w.e.t
	t.Helper()
	draft := lpm.Epic{PortfolioID: w.pid, Title: w.unique("Walk epic "), Type: typ, EpicOwner: owner}
	if state != lpm.Funnel {
		draft.Hypothesis = lpm.Hypothesis{ForCustomers: "walkers", Who: "walk", SolutionName: "lpm", IsA: "walk",
			That: "walks", Unlike: "runs", OurSolution: "walks well", BusinessOutcomes: []string{"walked"},
			LeadingIndicators: []string{"steps"}}
		draft.WSJF = lpm.WSJFComponents{UserBusinessValue: 5, TimeCriticality: 3, RiskReduction: 2, JobSize: 3}
		draft.Costs = lpm.Costs{MVPInternal: 100, FullInternal: 500}
		draft.MVPDescription = "a walk"
		draft.ValueStreamIDs = []int64{w.vs}
	}
	ep, err := lpm.NewEpic(draft, lpm.Now())
	if err != nil {
		t.Fatalf("new epic: %v", err)
	}
	if err := w.e.st.CreateEpic(w.ctx, ep, w.creator); err != nil {
		t.Fatalf("create epic: %v", err)
	}
	decide := func(k lpm.DecisionKind, outcome string) {
		d := &lpm.Decision{EpicID: ep.ID, Kind: k, Outcome: outcome, Rationale: "walk", DecidedBy: w.creator.Name}
		if err := w.e.st.CreateDecision(w.ctx, d, w.creator); err != nil {
			t.Fatalf("decide %s on epic %d: %v", k, ep.ID, err)
		}
	}
	move := func(to lpm.State) {
		res, err := w.e.st.TransitionEpic(w.ctx, ep.ID, lpm.TransitionRequest{To: to}, w.creator)
		if err != nil {
			t.Fatalf("move epic %d to %s: %v", ep.ID, to, err)
		}
		ep = res.Epic
	}
	rank := map[lpm.State]int{lpm.Funnel: 0, lpm.Reviewing: 1, lpm.Analyzing: 2, lpm.ImplementingMVP: 4}
	if rank[state] >= rank[lpm.Reviewing] {
		move(lpm.Reviewing)
	}
	if rank[state] >= rank[lpm.Analyzing] {
		decide(lpm.DecisionAdvanceToAnalyzing, "")
		move(lpm.Analyzing)
		decide(lpm.DecisionGo, "")
	}
	if rank[state] >= rank[lpm.ImplementingMVP] {
		move(lpm.Ready)
		move(lpm.ImplementingMVP)
	}
	if ep.State != state {
		t.Fatalf("epic %d is in %s, want %s", ep.ID, ep.State, state)
	}
	return ep
}

// epicVariants are the epics an epic operation is tried on, for a persona:
// their own (when they hold a role in the portfolio, and may own one),
// someone else's, and someone else's enabler.
func (w *world) epicVariants(p *persona, state lpm.State) map[string]func() *lpm.Epic {
	v := map[string]func() *lpm.Epic{
		"someone else's epic":    func() *lpm.Epic { return w.epic(w.other.Name, lpm.Business, state) },
		"someone else's enabler": func() *lpm.Epic { return w.epic(w.other.Name, lpm.Enabler, state) },
	}
	if p.actor.Access[w.pid] != 0 {
		v["own epic"] = func() *lpm.Epic { return w.epic(p.user.Name, lpm.Business, state) }
	}
	return v
}

// expect is what the domain says of p calling c on ep: nil when allowed,
// else the error whose code (ENOTFOUND, EFORBIDDEN) gives the status.
func (w *world) expect(p *persona, c walkCase, method string, ep *lpm.Epic) error {
	if c.target == "self" {
		if p.actor.ReadOnly && method != http.MethodGet {
			return lpm.Errorf(lpm.EFORBIDDEN, "read-only")
		}
		return nil
	}
	for _, act := range c.actions {
		var err error
		switch c.target {
		case "site":
			err = p.actor.Authorize(act, lpm.Target{})
		case "epic":
			err = p.actor.AuthorizeEpic(act, ep)
		default:
			err = p.actor.Authorize(act, lpm.PortfolioTarget(w.pid))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// hidingParam is the path value a caller without a role must not learn
// about, per target.
var hidingParam = map[string]string{"portfolio": "portfolio", "epic": "epic", "value_stream": "value_stream", "theme": "theme"}

// walkedOp is an operation of the document.
type walkedOp struct {
	id, method, path string
	perm             struct {
		Action  lpm.Action   `json:"action"`
		Actions []lpm.Action `json:"actions"`
		Target  string       `json:"target"`
	}
}

// documentedOps returns every operation of the API's OpenAPI document.
func documentedOps(t *testing.T) []walkedOp {
	t.Helper()
	raw, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var ops []walkedOp
	for path, item := range doc.Paths {
		if path == api.HealthPath {
			continue
		}
		for method, rawOp := range item {
			if !slices.Contains([]string{"get", "put", "post", "patch", "delete"}, method) {
				continue
			}
			var op struct {
				ID   string          `json:"operationId"`
				Perm json.RawMessage `json:"x-lpm-permission"`
			}
			if err := json.Unmarshal(rawOp, &op); err != nil {
				t.Fatal(err)
			}
			o := walkedOp{id: op.ID, method: strings.ToUpper(method), path: path}
			if err := json.Unmarshal(op.Perm, &o.perm); err != nil {
				t.Fatalf("%s: x-lpm-permission: %v", op.ID, err)
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops
}

// TestWalkTableCoversTheDocument fails for every operation the walk does not
// know how to call, and for table entries that disagree with the document
// about what the operation needs.
func TestWalkTableCoversTheDocument(t *testing.T) {
	ops := documentedOps(t)
	seen := map[string]bool{}
	for _, op := range ops {
		seen[op.id] = true
		cases, ok := walkTable[op.id]
		if !ok {
			t.Errorf("operation %s (%s %s) has no entry in walkTable: add one saying how to call it and what it needs", op.id, op.method, op.path)
			continue
		}
		documented := op.perm.Actions
		if op.perm.Action != "" {
			documented = []lpm.Action{op.perm.Action}
		}
		for _, c := range cases {
			if c.target != op.perm.Target {
				t.Errorf("%s %s: walk target %q, document says %q", op.id, c.name, c.target, op.perm.Target)
			}
			for _, act := range c.actions {
				if !slices.Contains(documented, act) {
					t.Errorf("%s %s: walk needs %s, document says %v", op.id, c.name, act, documented)
				}
			}
			if len(op.perm.Actions) == 0 && !slices.Equal(c.actions, documented) && c.target != "self" {
				t.Errorf("%s %s: walk needs %v, document says %v", op.id, c.name, c.actions, documented)
			}
		}
	}
	for id := range walkTable {
		if !seen[id] {
			t.Errorf("walkTable has %s, which the document does not", id)
		}
	}
}

// TestRouteWalk calls every operation as every persona.
func TestRouteWalk(t *testing.T) {
	ops := documentedOps(t)
	forEachStore(t, func(t *testing.T, e *env) {
		w, personas := newWorld(t, e)
		for _, op := range ops {
			for _, c := range walkTable[op.id] {
				name := op.id
				if c.name != "" {
					name += "/" + c.name
				}
				t.Run(name, func(t *testing.T) {
					w.use(t)
					for _, p := range personas {
						if c.target != "epic" {
							w.walk(t, op, c, p, "", nil)
							continue
						}
						variants := w.epicVariants(p, c.state)
						for _, v := range slices.Sorted(maps.Keys(variants)) {
							w.walk(t, op, c, p, v, variants[v]())
						}
					}
				})
			}
		}
	})
}

// use makes the world report to t.
func (w *world) use(t *testing.T) {
	e := *w.e
	e.t = t
	w.e = &e
}

// walk sends one request of the walk and checks the answer.
func (w *world) walk(t *testing.T, op walkedOp, c walkCase, p *persona, variant string, ep *lpm.Epic) {
	t.Helper()
	who := p.name
	if variant != "" {
		who += " on " + variant
	}
	call := c.call(w, p, ep)
	r := w.send(t, op, call, p)
	want := w.expect(p, c, op.method, ep)
	switch {
	case c.list:
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d, want 200: %s", who, r.status, r.body)
		}
		listed := false
		items, _ := lookup(r.json(t), "items")
		for _, it := range items.([]any) {
			listed = listed || it.(map[string]any)["id"] == float64(w.pid)
		}
		if listed != (want == nil) {
			t.Errorf("%s: portfolio listed %v, want %v", who, listed, want == nil)
		}
	case want == nil:
		if r.status < 200 || r.status > 299 {
			t.Errorf("%s: status %d, want 2xx: %s", who, r.status, r.body)
		}
	case lpm.ErrorCodeOf(want) == lpm.EFORBIDDEN:
		pr := wantProblemNoFatal(t, who, r, http.StatusForbidden, "urn:lpm:problem:forbidden")
		if pr != nil && c.target != "self" && pr.Detail != lpm.AsError(want).Message {
			t.Errorf("%s: detail %q, want the domain's %q", who, pr.Detail, lpm.AsError(want).Message)
		}
	case lpm.ErrorCodeOf(want) == lpm.ENOTFOUND:
		pr := wantProblemNoFatal(t, who, r, http.StatusNotFound, "urn:lpm:problem:not-found")
		param := hidingParam[c.target]
		if pr == nil || param == "" {
			return
		}
		// The same request about an object that does not exist must get
		// the same answer, but for the id.
		hidden := call.params[param]
		const missing = "987654321"
		call.params[param] = missing
		m := w.send(t, op, call, p)
		mp := wantProblemNoFatal(t, who+" (missing "+param+")", m, http.StatusNotFound, "urn:lpm:problem:not-found")
		if mp != nil && strings.ReplaceAll(mp.Detail, missing, hidden) != pr.Detail {
			t.Errorf("%s: detail %q for a hidden %s, but %q for a missing one", who, pr.Detail, param, mp.Detail)
		}
	default:
		t.Fatalf("%s: unexpected expectation %v", who, want)
	}
}

// send sends a call of op as p.
func (w *world) send(t *testing.T, op walkedOp, call walkCall, p *persona) *response {
	t.Helper()
	path := op.path
	for name, v := range call.params {
		path = strings.ReplaceAll(path, "{"+name+"}", url.PathEscape(v))
	}
	if strings.Contains(path, "{") {
		t.Fatalf("%s: walkTable gives no value for a parameter of %s", op.id, path)
	}
	if call.query != "" {
		path += "?" + call.query
	}
	req := w.e.request(op.method, api.Prefix+path, call.body)
	req.Header.Set("Authorization", "Bearer "+p.token)
	return w.e.send(req)
}

// wantProblemNoFatal checks a problem response without stopping the test.
func wantProblemNoFatal(t *testing.T, who string, r *response, status int, typ string) *problem {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d: %s", who, r.status, status, r.body)
		return nil
	}
	var p problem
	if err := json.Unmarshal(r.body, &p); err != nil || p.Type != typ || r.header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s: want a %s problem, got %s (%s)", who, typ, r.body, r.header.Get("Content-Type"))
		return nil
	}
	return &p
}
