package store_test

import (
	"context"
	"fmt"
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
	ctx   = context.Background()
	admin = lpm.Actor{Name: "ada", IsAdmin: true}
	alice = lpm.Actor{Name: "alice"}
)

func createUser(t testing.TB, s *store.Store, name string, isAdmin bool) *lpm.User {
	t.Helper()
	u := &lpm.User{Name: name, DisplayName: "User " + name, IsAdmin: isAdmin}
	must(t, s.CreateUser(ctx, u))
	return u
}

func createPortfolio(t testing.TB, s *store.Store, name, prefix string) *lpm.Portfolio {
	t.Helper()
	p := &lpm.Portfolio{Name: name, KeyPrefix: prefix}
	p.WithDefaults(lpm.Now())
	must(t, s.CreatePortfolio(ctx, p))
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
	must(t, s.CreateValueStream(ctx, v))
	return v
}

func createTheme(t testing.TB, s *store.Store, portfolioID int64, name string) *lpm.StrategicTheme {
	t.Helper()
	th := &lpm.StrategicTheme{PortfolioID: portfolioID, Name: name, Status: lpm.ThemeActive}
	must(t, s.CreateTheme(ctx, th))
	return th
}

func decide(t testing.TB, s *store.Store, epicID int64, kind lpm.DecisionKind, outcome string) *lpm.Decision {
	t.Helper()
	d := &lpm.Decision{EpicID: epicID, Kind: kind, Outcome: outcome, Rationale: "because " + string(kind), DecidedBy: "ada"}
	must(t, s.CreateDecision(ctx, d))
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
	must(t, s.ImportEpic(ctx, &e, []lpm.Transition{{To: e.State, Actor: "import"}}, nil))
	return &e
}

// since is how long ago t was, for checks that a timestamp is "now".
func since(t time.Time) time.Duration { return time.Since(t) }
