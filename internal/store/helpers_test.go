package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// forEachStore runs f on a fresh, migrated store of each kind: the whole
// behavioural suite runs on SQLite and on PostgreSQL.
func forEachStore(t *testing.T, f func(t *testing.T, s *store.Store)) {
	t.Helper()
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		f(t, openStore(t, dsn))
	})
}

func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, nil)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// equate compares stored objects: nil and empty lists are the same.
var equate = cmpopts.EquateEmpty()

func diff(t testing.TB, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, equate); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// wantCode fails unless err carries the code and, when field is set, a
// violation of that field.
func wantCode(t testing.TB, err error, code lpm.ErrorCode, field string) {
	t.Helper()
	if got := lpm.ErrorCodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if field == "" {
		return
	}
	for _, v := range lpm.AsError(err).Violations {
		if v.Field == field {
			return
		}
	}
	t.Fatalf("error %v has no violation of field %q", err, field)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var (
	ctx = context.Background()
	// admin is a site admin, who may do everything everywhere.
	admin = lpm.Actor{Name: "ada", IsAdmin: true}
	// alice acts in the tests that are not about permissions: she is the
	// portfolio admin of every portfolio a test creates (a fresh store
	// numbers them from 1), and not a site admin.
	alice = lpm.Actor{Name: "alice", Access: firstPortfolios(64, lpm.RolePortfolioAdmin)}
)

// firstPortfolios gives roles in portfolios 1 to n.
func firstPortfolios(n int64, roles ...lpm.Role) lpm.Access {
	a := lpm.Access{}
	for id := int64(1); id <= n; id++ {
		a[id] = lpm.NewRoleSet(roles...)
	}
	return a
}

// member is a user acting with roles in one portfolio.
func member(u *lpm.User, portfolioID int64, roles ...lpm.Role) lpm.Actor {
	a := u.Actor()
	a.Access = lpm.Access{portfolioID: lpm.NewRoleSet(roles...)}
	return a
}

func createUser(t testing.TB, s *store.Store, name string, isAdmin bool) *lpm.User {
	t.Helper()
	u := &lpm.User{Name: name, DisplayName: "User " + name, IsAdmin: isAdmin}
	must(t, s.CreateUser(ctx, u, "", admin))
	return u
}

func createPortfolio(t testing.TB, s *store.Store, name, prefix string) *lpm.Portfolio {
	t.Helper()
	p := &lpm.Portfolio{Name: name, KeyPrefix: prefix}
	p.WithDefaults(lpm.Now())
	must(t, s.CreatePortfolio(ctx, p, admin))
	return p
}

func createEpic(t testing.TB, s *store.Store, e lpm.Epic) *lpm.Epic {
	t.Helper()
	if e.Type == "" {
		e.Type = lpm.Business
	}
	if e.Title == "" {
		e.Title = "An epic"
	}
	n, err := lpm.NewEpic(e, lpm.Now())
	must(t, err)
	must(t, s.CreateEpic(ctx, n, alice))
	return n
}

func createValueStream(t testing.TB, s *store.Store, portfolioID int64, name string) *lpm.ValueStream {
	t.Helper()
	v := &lpm.ValueStream{PortfolioID: portfolioID, Name: name, Kind: lpm.Development,
		ARTs: []lpm.ART{{Name: name + " ART", Headcount: 120}}}
	must(t, s.CreateValueStream(ctx, v, alice))
	return v
}

func createTheme(t testing.TB, s *store.Store, portfolioID int64, name string) *lpm.StrategicTheme {
	t.Helper()
	th := &lpm.StrategicTheme{PortfolioID: portfolioID, Name: name, Status: lpm.ThemeActive}
	must(t, s.CreateTheme(ctx, th, alice))
	return th
}

func decide(t testing.TB, s *store.Store, epicID int64, kind lpm.DecisionKind, outcome string) *lpm.Decision {
	t.Helper()
	d := &lpm.Decision{EpicID: epicID, Kind: kind, Outcome: outcome, Rationale: "because " + string(kind), DecidedBy: "ada"}
	must(t, s.CreateDecision(ctx, d, alice))
	return d
}

func move(t testing.TB, s *store.Store, id int64, req lpm.TransitionRequest, actor lpm.Actor) *lpm.TransitionResult {
	t.Helper()
	res, err := s.TransitionEpic(ctx, id, req, actor)
	if err != nil {
		t.Fatalf("move epic %d to %s: %v", id, req.To, err)
	}
	return res
}

// findEpic reads an epic that must exist.
func findEpic(t testing.TB, s *store.Store, id int64) *lpm.Epic {
	t.Helper()
	e, err := s.FindEpicByID(ctx, id)
	must(t, err)
	return e
}

func ptr[T any](v T) *T { return &v }

// readyEpic is an epic with everything every policy up to ready asks for.
func readyEpic(portfolioID int64, owner string, valueStreams ...int64) lpm.Epic {
	return lpm.Epic{
		PortfolioID: portfolioID, Title: "Self-service onboarding", Type: lpm.Business, EpicOwner: owner,
		Hypothesis: lpm.Hypothesis{ForCustomers: "new customers", Who: "sign up", SolutionName: "Onboard",
			IsA: "guided flow", That: "gets them live in a day", Unlike: "the paper forms",
			OurSolution: "is self-service", BusinessOutcomes: []string{"50% faster activation"},
			LeadingIndicators: []string{"time to first login"}, NFRs: []string{"WCAG 2.2 AA"}},
		WSJF:           lpm.WSJFComponents{UserBusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 5},
		Costs:          lpm.Costs{MVPInternal: 100_000_00, MVPSupplier: 20_000_00, FullInternal: 400_000_00, FullSupplier: 50_000_00},
		MVPDescription: "Sign-up flow for one product",
		ValueStreamIDs: valueStreams,
	}
}

// importEpic stores an epic directly in a state, for tests that need many
// epics somewhere on the board.
func importEpic(t testing.TB, s *store.Store, e lpm.Epic) *lpm.Epic {
	t.Helper()
	if e.Type == "" {
		e.Type = lpm.Business
	}
	if e.Title == "" {
		e.Title = fmt.Sprintf("Imported into %s", e.State)
	}
	if e.State == lpm.Done && e.DoneReason == "" {
		e.DoneReason = lpm.Completed
	}
	must(t, s.ImportEpic(ctx, &e, []lpm.Transition{{To: e.State, Actor: "import"}}, nil, admin))
	return &e
}

// since is how long ago t was, for checks that a timestamp is "now".
func since(t time.Time) time.Duration { return time.Since(t) }

// rawDB opens the store's database behind its back: to tamper with the
// audit trail, move a stored time into the past, or count rows.
func rawDB(t testing.TB, s *store.Store, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if s.Dialect() == store.DialectPostgres {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// rawExec runs one statement on the store's database behind its back.
func rawExec(t testing.TB, s *store.Store, dsn, query string, args ...any) {
	t.Helper()
	if _, err := rawDB(t, s, dsn).ExecContext(ctx, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// auditTrail returns every entry of a chain, oldest first.
func auditTrail(t testing.TB, s *store.Store, chain int64) []lpm.AuditEntry {
	t.Helper()
	var all []lpm.AuditEntry
	page := lpm.Page{Limit: lpm.MaxPageSize}
	for {
		list, next, err := s.FindAudit(ctx, lpm.AuditFilter{PortfolioID: chain, Page: page})
		must(t, err)
		all = append(all, list...)
		if next == "" {
			break
		}
		page.Cursor = next
	}
	slices.Reverse(all)
	return all
}

// auditEntry is what a test expects of an audit entry: the change, with
// before and after as JSON objects.
type auditEntry struct {
	Action     string
	ObjectType string
	ObjectID   int64
	Actor      string
	Before     string
	After      string
}

// lastAudit returns the newest n entries of a chain, oldest first, as
// auditEntry values whose JSON is re-encoded so that they compare by value.
func lastAudit(t testing.TB, s *store.Store, chain int64, n int) []auditEntry {
	t.Helper()
	list, _, err := s.FindAudit(ctx, lpm.AuditFilter{PortfolioID: chain, Page: lpm.Page{Limit: n}})
	must(t, err)
	out := make([]auditEntry, len(list))
	for i, e := range list {
		out[len(list)-1-i] = auditEntry{Action: e.Action, ObjectType: e.ObjectType, ObjectID: e.ObjectID, Actor: e.Actor,
			Before: canonJSON(t, string(e.Before)), After: canonJSON(t, string(e.After))}
	}
	return out
}

// canonJSON re-encodes a JSON object, so that two texts of the same object
// compare equal.
func canonJSON(t testing.TB, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("audit JSON %q: %v", s, err)
	}
	b, err := json.Marshal(v)
	must(t, err)
	return string(b)
}

// wantAudit checks that the newest entries of a chain are want, oldest
// first; Before and After of want are JSON compared by value.
func wantAudit(t testing.TB, s *store.Store, chain int64, want ...auditEntry) {
	t.Helper()
	for i := range want {
		want[i].Before = canonJSON(t, want[i].Before)
		want[i].After = canonJSON(t, want[i].After)
	}
	diff(t, fmt.Sprintf("newest audit entries of chain %d", chain), want, lastAudit(t, s, chain, len(want)))
}

// auditLen is how many entries a chain holds.
func auditLen(t testing.TB, s *store.Store, chain int64) int {
	t.Helper()
	return len(auditTrail(t, s, chain))
}
