package store_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// failInsert installs a trigger, called name, that makes inserts into table
// fail when the condition on the new row holds: a write that fails after
// others in the same transaction have succeeded.
func failInsert(t *testing.T, s *store.Store, dsn, name, table, when string) {
	t.Helper()
	driver, stmts := "sqlite", []string{
		`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` WHEN ` + when +
			` BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
	}
	if s.Dialect() == store.DialectPostgres {
		driver, stmts = "pgx", []string{
			`CREATE OR REPLACE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql
				AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
			`CREATE TRIGGER ` + name + ` BEFORE INSERT ON ` + table + ` FOR EACH ROW WHEN (` + when +
				`) EXECUTE FUNCTION test_fail()`,
		}
	}
	db, err := sql.Open(driver, dsn)
	must(t, err)
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// snapshot is everything a failed call could have half-written.
type snapshot struct {
	Epics     []*lpm.Epic
	History   map[int64][]lpm.Transition
	Decisions map[int64][]lpm.Decision
}

func takeSnapshot(t *testing.T, s *store.Store, portfolioID int64) snapshot {
	t.Helper()
	epics, _, err := s.FindEpics(ctx, lpm.EpicFilter{PortfolioID: portfolioID})
	must(t, err)
	snap := snapshot{Epics: epics, History: map[int64][]lpm.Transition{}, Decisions: map[int64][]lpm.Decision{}}
	for _, e := range epics {
		snap.History[e.ID], err = s.EpicHistory(ctx, e.ID)
		must(t, err)
		snap.Decisions[e.ID], err = s.FindDecisions(ctx, e.ID)
		must(t, err)
	}
	return snap
}

// TestFailedWritesLeaveNothing makes the last write of a call fail and checks
// that none of its earlier writes remain.
func TestFailedWritesLeaveNothing(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		s := openStore(t, dsn)
		createUser(t, s, "olivia", false)
		p := createPortfolio(t, s, "Digital", "EP")
		e := readyEpic(p.ID, "olivia")
		e.State = lpm.ImplementingMVP
		mvp := importEpic(t, s, e)
		decide(t, s, mvp.ID, lpm.DecisionPivot, "")
		e = readyEpic(p.ID, "olivia")
		e.State = lpm.Reviewing
		reviewing := importEpic(t, s, e)
		decide(t, s, reviewing.ID, lpm.DecisionAdvanceToAnalyzing, "")

		failInsert(t, s, dsn, "test_fail_pivot", "epics", "NEW.pivoted_from IS NOT NULL")
		failInsert(t, s, dsn, "test_fail_history", "epic_transitions", "NEW.to_state = 'analyzing'")

		before := takeSnapshot(t, s, p.ID)
		// The pivot's epic cannot be written: the move to done, its history
		// entry and the decision's link must not stay either.
		_, err := s.TransitionEpic(ctx, mvp.ID, lpm.TransitionRequest{To: lpm.Done, DoneReason: lpm.Pivoted, Reason: "learned"}, alice)
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			t.Fatalf("pivot with a failing insert: %v", err)
		}
		diff(t, "store after a failed pivot", before, takeSnapshot(t, s, p.ID))

		// The history entry cannot be written after the epic row was updated.
		_, err = s.TransitionEpic(ctx, reviewing.ID, lpm.TransitionRequest{To: lpm.Analyzing}, alice)
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			t.Fatalf("move with a failing history insert: %v", err)
		}
		diff(t, "store after a failed move", before, takeSnapshot(t, s, p.ID))

		// The key counter did not move either.
		next := createEpic(t, s, lpm.Epic{PortfolioID: p.ID})
		if next.Key != "EP-3" {
			t.Errorf("next key = %s, want EP-3", next.Key)
		}
	})
}
