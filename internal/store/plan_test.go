package store

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
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
		{"token", authenticateSQL, 1, []string{"USING INDEX sqlite_autoindex_api_tokens"}},
		{"session", findSessionSQL, 1, []string{"USING INDEX sqlite_autoindex_sessions"}},
		{"access", accessSQL, 1, []string{"USING COVERING INDEX memberships_user", "USING PRIMARY KEY", "USING COVERING INDEX group_roles_group"}},
		{"member portfolios", listMemberPortfoliosSQL, 3, []string{"USING INTEGER PRIMARY KEY", "USING PRIMARY KEY"}},
		{"members", membersSQL, 1, []string{"USING PRIMARY KEY", "USING COVERING INDEX user_groups_group"}},
		{"audit head", reserveAuditSQL, 2, []string{"USING PRIMARY KEY"}},
		{"audit verify batch", auditPageSQL, 3, []string{"USING INDEX sqlite_autoindex_audit_log"}},
		{"audit list", auditQuery(lpm.AuditFilter{PortfolioID: 1}, 10), 3, []string{"USING INDEX sqlite_autoindex_audit_log"}},
		{"audit by actor", auditQuery(lpm.AuditFilter{PortfolioID: 1, Actor: "ada"}, 0), 3, []string{"USING INDEX audit_log_actor"}},
		{"audit by actor, next page", auditQuery(lpm.AuditFilter{PortfolioID: 1, Actor: "ada"}, 10), 4, []string{"USING INDEX audit_log_actor"}},
		{"audit by object", auditQuery(lpm.AuditFilter{PortfolioID: 1, ObjectType: "epic", ObjectID: 1}, 10), 5, []string{"USING INDEX audit_log_object"}},
		// A time window is read newest first off the primary key (no index
		// of its own: see the migration), without sorting.
		{"audit in a time window", auditQuery(lpm.AuditFilter{PortfolioID: 1, From: time.Unix(1, 0), To: time.Unix(2, 0)}, 0), 4, []string{"USING INDEX sqlite_autoindex_audit_log"}},
		{"sign-in prune", pruneSignInSQL, 1, []string{"USING INDEX sign_in_attempts_last_failure"}},
		{"user sessions", deleteUserSessionsSQL, 1, []string{"USING COVERING INDEX sessions_user"}},
		{"finished epics", finishedEpicsSQL, 2, []string{"USING INDEX epics_done"}},
		{"theme objectives", themeObjectivesSQL, 1, []string{"USING INDEX objectives_theme"}},
		{"theme key results", themeKeyResultsSQL, 1, []string{"INDEX objectives_theme", "INDEX key_results_objective"}},
		{"latest check-ins", latestCheckInsSQL, 1, []string{"INDEX objectives_theme", "INDEX key_results_objective", "COVERING INDEX check_ins_latest"}},
		{"check-in list", listCheckInsSQL, 3, []string{"USING INDEX check_ins_list"}},
		{"estimation rounds", listRoundsSQL, 3, []string{"USING INDEX estimation_rounds_list"}},
		{"round epics", roundEpicsSQL, 1, []string{"INDEX sqlite_autoindex_estimation_round_epics_1"}},
		{"round estimates", roundEstimatesSQL, 1, []string{"INDEX sqlite_autoindex_estimates_1"}},
		{"forecast inputs", forecastInputsSQL, 1, []string{"INDEX sqlite_autoindex_epic_art_shares_1"}},
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
			bad := []string{"SCAN epics", "SCAN epic_transitions", "SCAN decisions",
				"SCAN audit_log", "SCAN api_tokens", "SCAN sessions", "SCAN memberships", "SCAN user_groups", "SCAN group_roles"}
			if !slices.Contains(tc.want, "TEMP B-TREE") {
				bad = append(bad, "TEMP B-TREE")
			}
			for _, bad := range bad {
				if strings.Contains(text, bad) {
					t.Errorf("plan has %q:\n%s", bad, text)
				}
			}
		})
	}
}

// auditQuery is the FindAudit query of a filter, on the page after the cursor
// seq (0: the first page).
func auditQuery(f lpm.AuditFilter, cursor int64) string {
	q, _ := findAuditQuery(f, pageQuery{after: cursor, limit: 50})
	return q
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
