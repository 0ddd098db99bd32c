package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestSQLitePlans guards the speed of the hot statements on SQLite: each must
// read an index in the order it needs, never sort in a temporary b-tree or
// scan a whole table.
func TestSQLitePlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "plan.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name  string
		query string
		args  int
		want  []string // substrings the plan must contain
	}{
		{"board cards", boardCardsSQL, 8, []string{"USING INDEX epics_board", "USING INDEX epics_done"}},
		{"board counts", boardCountsSQL, 1, []string{"USING COVERING INDEX epics_board"}},
		{"WIP count", countInStateSQL, 2, []string{"USING COVERING INDEX epics_board"}},
		{"load epic", loadEpicSQL, 1, []string{"USING INTEGER PRIMARY KEY"}},
		{"decisions", findDecisionsSQL, 1, []string{"USING INDEX decisions_epic"}},
		{"history", historySQL, 1, []string{"USING INDEX epic_transitions_epic"}},
		{"portfolio list", listPortfoliosSQL, 2, []string{"USING INTEGER PRIMARY KEY"}},
		{"theme list", listThemesSQL, 3, []string{"USING INDEX themes_list"}},
		{"value stream list", listValueStreamsSQL, 3, []string{"USING INDEX value_streams_list"}},
		{"token", findUserByTokenSQL, 1, []string{"USING INDEX sqlite_autoindex_api_tokens"}},
		// The foreign-key checks of DeleteEpic, answered by partial indexes.
		{"pivot children", `SELECT 1 FROM epics WHERE pivoted_from = $1`, 1, []string{"USING COVERING INDEX epics_pivoted_from"}},
		{"history of a decision", `SELECT 1 FROM epic_transitions WHERE decision_id = $1`, 1, []string{"USING COVERING INDEX epic_transitions_decision"}},
		{"decisions naming an epic", `SELECT 1 FROM decisions WHERE new_epic_id = $1`, 1, []string{"USING COVERING INDEX decisions_new_epic"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := make([]any, tc.args)
			for i := range args {
				args[i] = 1
			}
			rows, err := s.read.DB.QueryContext(ctx, "EXPLAIN QUERY PLAN "+tc.query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			text := strings.Join(plan, "\n")
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("plan lacks %q:\n%s", w, text)
				}
			}
			for _, bad := range []string{"TEMP B-TREE", "SCAN epics", "SCAN epic_transitions", "SCAN decisions"} {
				if strings.Contains(text, bad) {
					t.Errorf("plan has %q:\n%s", bad, text)
				}
			}
		})
	}
}

// TestSQLitePragmas checks that every connection of both pools runs with the
// pragmas the store relies on.
func TestSQLitePragmas(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pragma.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := map[string]string{"busy_timeout": "10000", "journal_mode": "wal", "synchronous": "1", "foreign_keys": "1"}
	for name, pool := range map[string]*dbpool{"write": s.write, "read": s.read} {
		// Hold several connections at once so that each is a different one.
		n := min(3, pool.Stats().MaxOpenConnections)
		for i := range n {
			conn, err := pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			for pragma, v := range want {
				var got string
				if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != v {
					t.Errorf("%s pool, connection %d: %s = %s, want %s", name, i, pragma, got, v)
				}
			}
		}
	}
	if n := s.write.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("write pool allows %d connections, want 1", n)
	}
}
