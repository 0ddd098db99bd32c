package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"
)

// lpm okr import records a CSV of check-ins all or none, with the API's
// checks: a bad row (or a key result of another theme) records nothing and
// is named by its line, and --dry-run writes nothing.
func TestOKRImportCommand(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		c := lpmCLI{t, dsn}
		st := c.store()
		p := createPortfolio(t, st, "Digital Banking")
		grow := createTheme(t, st, p.ID, "Grow")
		leadTime := createKeyResult(t, st, grow.ID, "Lead time")
		customers := createKeyResult(t, st, grow.ID, "Customers")
		retain := createTheme(t, st, p.ID, "Retain")
		churn := createKeyResult(t, st, retain.ID, "Churn")

		good := fmt.Sprintf("key_result_id,at,value,confidence,status,note\n"+
			"%d,2026-03-01,10,6,on_track,\n"+
			"%d,2026-03-08T09:00:00Z,9,7,on_track,\"faster, at last\"\n"+
			"%d,2026-03-08,140,5,at_risk,\n", leadTime.ID, leadTime.ID, customers.ID)

		// --dry-run checks and reports, and writes nothing.
		out, _ := c.ok(good, "okr", "import", "--portfolio", "Digital Banking", "--theme", "Grow", "--dry-run", "-")
		if !strings.Contains(out, "dry run, nothing was recorded: the 3 check-ins of stdin are valid") {
			t.Errorf("dry run printed %q", out)
		}
		checkIns(t, st, leadTime.ID, 0)

		// The theme by name, ignoring case, and the file from stdin.
		out, _ = c.ok(good, "okr", "import", "--portfolio", "Digital Banking", "--theme", "grow", "-")
		if !strings.Contains(out, `recorded 3 check-ins from stdin through strategic theme "Grow" of portfolio "Digital Banking"`) ||
			!strings.Contains(out, "Lead time") || !strings.Contains(out, "Customers") {
			t.Errorf("import printed %q", out)
		}
		got := checkIns(t, st, leadTime.ID, 2)
		if got[1].Value != 9 || got[1].Note != "faster, at last" || !strings.HasPrefix(got[1].By, "cli") {
			t.Errorf("stored %+v", got[1])
		}
		checkIns(t, st, customers.ID, 1)

		// A bad row records nothing, not even the good rows, and is named
		// by its line; the theme by id, the file from disk.
		dir := t.TempDir()
		bad := filepath.Join(dir, "bad.csv")
		writeFile(t, bad, fmt.Sprintf("key_result_id,at,value,confidence,status\n"+
			"%d,2026-03-15,8,7,on_track\n"+
			"%d,2026-03-15,8,11,on_track\n", leadTime.ID, leadTime.ID))
		c.fails(2, "line 3: confidence must be from 0 to 10", "okr", "import", "--portfolio", "Digital Banking",
			"--theme", fmt.Sprint(grow.ID), bad)
		checkIns(t, st, leadTime.ID, 2)

		// So does a key result of another theme of the portfolio.
		other := filepath.Join(dir, "other.csv")
		writeFile(t, other, fmt.Sprintf("key_result_id,at,value,confidence,status\n"+
			"%d,2026-03-15,8,7,on_track\n\n"+
			"%d,2026-03-15,3,7,on_track\n", leadTime.ID, churn.ID))
		c.fails(2, fmt.Sprintf("line 4: strategic theme %d has no key result %d", grow.ID, churn.ID),
			"okr", "import", "--portfolio", "Digital Banking", "--theme", "Grow", other)
		checkIns(t, st, leadTime.ID, 2)
		checkIns(t, st, churn.ID, 0)

		c.fails(1, `there is no strategic theme "Shrink" in portfolio "Digital Banking"; give the id or name of one of:`,
			"okr", "import", "--portfolio", "Digital Banking", "--theme", "Shrink", bad)
		// Names that differ only in case need the exact one.
		createTheme(t, st, p.ID, "GROW")
		c.fails(1, `"grow" names more than one strategic theme of portfolio "Digital Banking" when case is ignored`,
			"okr", "import", "--portfolio", "Digital Banking", "--theme", "grow", bad)
		// A theme of another portfolio is not found by its id either.
		createPortfolio(t, st, "Retail")
		c.fails(1, fmt.Sprintf(`there is no strategic theme "%d" in portfolio "Retail": it has no themes yet`, grow.ID),
			"okr", "import", "--portfolio", "Retail", "--theme", fmt.Sprint(grow.ID), bad)
		c.fails(1, "read the check-ins", "okr", "import", "--portfolio", "Digital Banking", "--theme", "Grow",
			filepath.Join(dir, "missing.csv"))
	})
}

// createTheme makes an active strategic theme of the portfolio.
func createTheme(t *testing.T, st *store.Store, portfolioID int64, name string) *lpm.StrategicTheme {
	t.Helper()
	th := &lpm.StrategicTheme{PortfolioID: portfolioID, Name: name, Status: lpm.ThemeActive}
	if err := st.CreateTheme(context.Background(), th, lpm.SystemActor("test")); err != nil {
		t.Fatal(err)
	}
	return th
}

// createKeyResult makes a key result of a new objective of the theme.
func createKeyResult(t *testing.T, st *store.Store, themeID int64, title string) *lpm.KeyResult {
	t.Helper()
	ctx, actor := context.Background(), lpm.SystemActor("test")
	o := &lpm.Objective{ThemeID: themeID, Title: "Objective of " + title}
	if err := st.CreateObjective(ctx, o, actor); err != nil {
		t.Fatal(err)
	}
	k := &lpm.KeyResult{ObjectiveID: o.ID, Title: title, Unit: "count", Baseline: 0, Target: 100, Weight: 1}
	if err := st.CreateKeyResult(ctx, k, actor); err != nil {
		t.Fatal(err)
	}
	return k
}

// checkIns returns the key result's check-ins, failing unless there are want.
func checkIns(t *testing.T, st *store.Store, keyResultID int64, want int) []*lpm.CheckIn {
	t.Helper()
	list, _, err := st.FindCheckIns(context.Background(), keyResultID, lpm.Page{Limit: lpm.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != want {
		t.Fatalf("key result %d has %d check-ins, want %d", keyResultID, len(list), want)
	}
	return list
}

func writeFile(t *testing.T, name, body string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Problems are named by CSV line, also when the store names a row by index.
func TestRowPlace(t *testing.T) {
	lines := []int{2, 4, 5}
	for field, want := range map[string]string{
		"line 3.at":                  "line 3",
		"line 7":                     "line 7",
		"header":                     "header",
		"check_ins[1].key_result_id": "line 4",
		"check_ins[9].at":            "check_ins[9]",
	} {
		if got := rowPlace(field, lines); got != want {
			t.Errorf("rowPlace(%q) = %q, want %q", field, got, want)
		}
	}
}
