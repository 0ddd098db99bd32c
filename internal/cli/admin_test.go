package cli

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/auditexport"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
	"github.com/lpm-project/lpm/internal/testenv"

	_ "modernc.org/sqlite" // the "sqlite" driver, to tamper with a store behind lpm's back
)

// lpmCLI runs commands against one store.
type lpmCLI struct {
	t  *testing.T
	db string
}

// ok runs a command that must succeed and returns its stdout and stderr.
func (c lpmCLI) ok(stdin string, args ...string) (string, string) {
	c.t.Helper()
	code, out, errOut := runIn(c.t, stdin, append(args, "--db", c.db)...)
	if code != 0 {
		c.t.Fatalf("lpm %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
	}
	return out, errOut
}

// fails runs a command that must fail with code and say want on stderr,
// printing nothing on stdout.
func (c lpmCLI) fails(code int, want string, args ...string) {
	c.t.Helper()
	got, out, errOut := run(c.t, append(args, "--db", c.db)...)
	if got != code || out != "" || !strings.Contains(errOut, want) {
		c.t.Errorf("lpm %s: exit %d, stdout %q, stderr %q; want %d, nothing, and %q", strings.Join(args, " "), got, out, errOut, code, want)
	}
}

// store opens the CLI's store for the test to look at.
func (c lpmCLI) store() *store.Store {
	c.t.Helper()
	st, err := store.Open(context.Background(), c.db, slog.New(slog.DiscardHandler))
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { st.Close() })
	return st
}

// createPortfolio makes a portfolio to grant roles in: the command line has
// no command for that (the API and the pages do).
func createPortfolio(t *testing.T, st *store.Store, name string) *lpm.Portfolio {
	t.Helper()
	p := &lpm.Portfolio{Name: name, KeyPrefix: "P" + strings.ToUpper(name[:2])}
	p.WithDefaults(lpm.Now())
	if err := st.CreatePortfolio(context.Background(), p, lpm.SystemActor("test")); err != nil {
		t.Fatal(err)
	}
	return p
}

const password = "correct horse battery"

func TestUserCommands(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		c := lpmCLI{t, dsn}
		ctx := context.Background()
		_, errOut := c.ok(password+"\n", "user", "add", "alice", "--admin", "--email", "alice@example.com",
			"--display-name", "Alice Martin", "--password-stdin")
		if !strings.Contains(errOut, "created site admin alice") {
			t.Errorf("user add: stderr %q", errOut)
		}
		c.ok("", "user", "add", "bob")
		st := c.store()
		for name, pw := range map[string]string{"alice": password, "bob": ""} {
			_, hash, err := st.PasswordHash(ctx, name)
			if err != nil || (pw == "") != (hash == "") || (pw != "" && !lpm.CheckPassword(hash, pw)) {
				t.Errorf("%s: password hash %q, %v; want one for %q", name, hash, err, pw)
			}
		}

		out, _ := c.ok("", "user", "list")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !regexp.MustCompile(`^1\s+alice\s+Alice Martin\s+alice@example.com\s+yes\s+active\s+\d{4}-`).MatchString(lines[1]) ||
			!regexp.MustCompile(`^2\s+bob\s+—\s+—\s+no\s+active`).MatchString(lines[2]) {
			t.Errorf("user list:\n%s", out)
		}

		// A password comes as one line on stdin; \r\n line endings too.
		c.ok("another good password\r\n", "user", "passwd", "bob")
		if _, hash, _ := st.PasswordHash(ctx, "bob"); !lpm.CheckPassword(hash, "another good password") {
			t.Errorf("user passwd did not set bob's password")
		}
		if code, _, errOut := runIn(t, "short\n", "user", "passwd", "bob", "--db", dsn); code != 2 || !strings.Contains(errOut, "at least 12") {
			t.Errorf("short password: exit %d, %q", code, errOut)
		}
		if code, _, errOut := runIn(t, password+"\n", "user", "passwd", "ghost", "--db", dsn); code != 1 || !strings.Contains(errOut, "lpm user add ghost") {
			t.Errorf("password of nobody: exit %d, %q", code, errOut)
		}
		// A refused password leaves no user behind.
		if code, _, _ := runIn(t, "short\n", "user", "add", "carol", "--password-stdin", "--db", dsn); code != 2 {
			t.Errorf("user add with a short password: exit %d", code)
		}
		if _, err := st.FindUserByName(ctx, "carol"); lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			t.Errorf("carol exists after a refused user add: %v", err)
		}

		// Disabling stops the user's tokens; enabling brings them back.
		secret, _ := c.ok("", "token", "create", "--user", "bob")
		secret = strings.TrimSpace(secret)
		_, errOut = c.ok("", "user", "disable", "bob")
		if !strings.Contains(errOut, "disabled bob") {
			t.Errorf("user disable: %q", errOut)
		}
		if _, _, err := st.Authenticate(ctx, secret); err == nil {
			t.Error("a disabled user's token still works")
		}
		if out, _ := c.ok("", "user", "list"); !regexp.MustCompile(`bob .*disabled`).MatchString(out) {
			t.Errorf("user list does not show bob disabled:\n%s", out)
		}
		c.ok("", "user", "enable", "bob")
		if _, _, err := st.Authenticate(ctx, secret); err != nil {
			t.Errorf("bob's token after enabling: %v", err)
		}
		c.fails(1, `no user "ghost"`, "user", "disable", "ghost")
		c.fails(1, "create user alice", "user", "add", "alice")
	})
}

func TestTokenCommands(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		c := lpmCLI{t, dsn}
		ctx := context.Background()
		c.ok("", "user", "add", "alice")
		out, errOut := c.ok("", "token", "create", "--user", "alice", "--name", "ci", "--scope", "read", "--expires-in", "30d")
		if !regexp.MustCompile(`^lpm_[a-z2-7]+\n$`).MatchString(out) || errOut != "" {
			t.Fatalf("token create printed %q and %q, want the token alone on stdout", out, errOut)
		}
		st := c.store()
		u, tok, err := st.Authenticate(ctx, strings.TrimSpace(out))
		if err != nil || u.Name != "alice" || tok.Scope != lpm.ScopeRead || tok.Name != "ci" {
			t.Fatalf("the token authenticates %+v %+v, %v", u, tok, err)
		}
		if left := time.Until(tok.ExpiresAt); left < 29*24*time.Hour || left > 30*24*time.Hour {
			t.Errorf("token expires in %v, want 30 days", left)
		}
		c.ok("", "token", "create", "--user", "alice", "--expires-in", "36h")

		list, _ := c.ok("", "token", "list", "--user", "alice")
		lines := strings.Split(strings.TrimSpace(list), "\n")
		if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") ||
			!regexp.MustCompile(fmt.Sprintf(`^%d\s+ci\s+read\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d{4}-`, tok.ID)).MatchString(lines[1]) ||
			!regexp.MustCompile(`\s+cli\s+read_write\s+.*never$`).MatchString(lines[2]) {
			t.Errorf("token list:\n%s", list)
		}
		if strings.Contains(list, "lpm_") {
			t.Errorf("token list shows a secret:\n%s", list)
		}

		id := fmt.Sprintf("%d", tok.ID)
		if _, errOut := c.ok("", "token", "revoke", "--user", "alice", id); !strings.Contains(errOut, "revoked token "+id) {
			t.Errorf("token revoke: %q", errOut)
		}
		if _, _, err := st.Authenticate(ctx, strings.TrimSpace(out)); err == nil {
			t.Error("a revoked token still works")
		}
		c.fails(1, "alice has no token "+id+"; see their tokens with: lpm token list --user alice", "token", "revoke", "--user", "alice", id)
		c.fails(1, `no user "ghost"`, "token", "list", "--user", "ghost")
	})
}

func TestRoleAndGroupCommands(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		c := lpmCLI{t, dsn}
		ctx := context.Background()
		c.ok("", "user", "add", "bob")
		c.ok("", "user", "add", "nina")
		st := c.store()
		p := createPortfolio(t, st, "Digital Banking")
		createPortfolio(t, st, "Core Platforms")

		// By name, by name in another case, and by id.
		c.ok("", "role", "grant", "--portfolio", "Digital Banking", "--user", "bob", "--role", "epic_owner")
		c.ok("", "role", "grant", "--portfolio", "digital banking", "--user", "bob", "--role", "viewer")
		_, errOut := c.ok("", "role", "grant", "--portfolio", fmt.Sprintf("%d", p.ID), "--user", "nina", "--role", "portfolio_admin")
		if errOut != "lpm: nina holds portfolio_admin in Digital Banking\n" {
			t.Errorf("role grant: %q", errOut)
		}
		c.ok("", "role", "grant", "--portfolio", "Digital Banking", "--user", "bob", "--role", "viewer") // held already: no error
		access, err := st.Access(ctx, mustUser(t, st, "bob").ID)
		if err != nil || access[p.ID] != lpm.NewRoleSet(lpm.RoleEpicOwner, lpm.RoleViewer) {
			t.Errorf("bob's access %v, %v", access, err)
		}

		c.ok("", "group", "map", "--portfolio", "Digital Banking", "--group", "lpm-architects", "--role", "enterprise_architect")
		out, _ := c.ok("", "group", "list", "--portfolio", "Digital Banking")
		if want := "GROUP           ROLE\nlpm-architects  enterprise_architect\n"; out != want {
			t.Errorf("group list:\n%q\nwant\n%q", out, want)
		}
		out, _ = c.ok("", "role", "list", "--portfolio", "Digital Banking")
		for _, re := range []string{`(?m)^bob\s+epic_owner\s+grant$`, `(?m)^bob\s+viewer\s+grant$`, `(?m)^nina\s+portfolio_admin\s+grant$`} {
			if !regexp.MustCompile(re).MatchString(out) {
				t.Errorf("role list does not match %s:\n%s", re, out)
			}
		}

		c.ok("", "role", "revoke", "--portfolio", "Digital Banking", "--user", "bob", "--role", "viewer")
		c.fails(1, "bob does not hold viewer in Digital Banking directly; see who holds what with: lpm role list --portfolio",
			"role", "revoke", "--portfolio", "Digital Banking", "--user", "bob", "--role", "viewer")
		c.fails(1, "grant portfolio_admin to someone else first",
			"role", "revoke", "--portfolio", "Digital Banking", "--user", "nina", "--role", "portfolio_admin")
		c.ok("", "group", "unmap", "--portfolio", "Digital Banking", "--group", "lpm-architects", "--role", "enterprise_architect")
		c.fails(1, "group lpm-architects is not mapped to enterprise_architect in Digital Banking",
			"group", "unmap", "--portfolio", "Digital Banking", "--group", "lpm-architects", "--role", "enterprise_architect")
		if out, _ := c.ok("", "group", "list", "--portfolio", "Digital Banking"); out != "GROUP  ROLE\n" {
			t.Errorf("group list after unmap: %q", out)
		}

		c.fails(1, `there is no portfolio "Retail"`, "role", "list", "--portfolio", "Retail")
		c.fails(1, `give the id or name of one of: 1 "Digital Banking", 2 "Core Platforms"`, "role", "list", "--portfolio", "99")
		c.fails(1, `no user "ghost"`, "role", "grant", "--portfolio", "Digital Banking", "--user", "ghost", "--role", "viewer")
	})
}

func TestAuditCommands(t *testing.T) {
	testenv.ForEachStore(t, func(t *testing.T, dsn string) {
		c := lpmCLI{t, dsn}
		c.ok("", "user", "add", "bob")
		c.ok("", "user", "add", "nina")
		st := c.store()
		p := createPortfolio(t, st, "Digital Banking")
		c.ok("", "role", "grant", "--portfolio", "Digital Banking", "--user", "bob", "--role", "viewer")

		out, _ := c.ok("", "audit", "verify")
		want := "site: 2 entries, intact\n" + fmt.Sprintf("portfolio %d \"Digital Banking\": 2 entries, intact\n", p.ID)
		if out != want {
			t.Errorf("audit verify:\n%s\nwant\n%s", out, want)
		}

		// JSON Lines: newest first, with the fields the API exports, made by
		// the command line as the OS user.
		out, _ = c.ok("", "audit", "export", "--site")
		var entries []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var e map[string]any
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			entries = append(entries, e)
		}
		if len(entries) != 2 || entries[0]["seq"] != 2.0 || entries[0]["action"] != "user.create" {
			t.Fatalf("site export: %v", entries)
		}
		var keys []string
		for k := range entries[0] {
			keys = append(keys, k)
		}
		if diff := cmp.Diff([]string{"action", "actor", "address", "after", "at", "before", "hash", "object_id", "object_type", "prev_hash", "seq"},
			slices.Sorted(slices.Values(keys))); diff != "" {
			t.Errorf("JSON fields (-want +got):\n%s", diff)
		}
		if actor, _ := entries[0]["actor"].(string); actor != cliActor().Name || !strings.HasPrefix(actor, "cli") {
			t.Errorf("actor %q, want %q", actor, cliActor().Name)
		}

		out, _ = c.ok("", "audit", "export", "--portfolio", "Digital Banking", "--format", "csv")
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(auditexport.Columns, rows[0]); diff != "" || len(rows) != 3 || rows[1][4] != "membership.grant" {
			t.Errorf("CSV export (-want +got header):\n%s\n%v", diff, rows)
		}
	})
}

// Tampering with the trail behind lpm's back is found: the chain, the entry
// and why, with exit 1.
func TestAuditVerifyFindsTampering(t *testing.T) {
	db := testenv.SQLiteDSN(t)
	c := lpmCLI{t, db}
	for _, name := range []string{"bob", "carol", "dave"} {
		c.ok("", "user", "add", name)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE audit_log SET after = '{"name":"mallory"}' WHERE portfolio_id = 0 AND seq = 2`); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "audit", "verify", "--db", db)
	if code != 1 || out != "site: BROKEN at entry 2: its content does not match its hash: the entry was edited (1 entry before it intact)\n" ||
		!strings.Contains(errOut, "audit chain of the site breaks at entry 2") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// lpm permissions prints the matrix docs/PERMISSIONS.md holds.
func TestPermissions(t *testing.T) {
	code, out, errOut := run(t, "permissions")
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	doc, err := os.ReadFile("../../docs/PERMISSIONS.md")
	if err != nil {
		t.Fatal(err)
	}
	if out != lpm.PermissionMatrix() || out != string(doc) {
		t.Errorf("lpm permissions differs from lpm.PermissionMatrix or docs/PERMISSIONS.md:\n%s", out)
	}
}

func TestParseLifetime(t *testing.T) {
	for s, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "12w": 84 * 24 * time.Hour, "36h": 36 * time.Hour,
		"730d": 730 * 24 * time.Hour, "90m": 90 * time.Minute} {
		if got, err := parseLifetime(s); err != nil || got != want {
			t.Errorf("parseLifetime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "d", "0d", "-1d", "731d", "1y", "soon", "1.5d"} {
		if _, err := parseLifetime(s); err == nil {
			t.Errorf("parseLifetime(%q) accepted", s)
		}
	}
}

func mustUser(t *testing.T, st *store.Store, name string) *lpm.User {
	t.Helper()
	u, err := st.FindUserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
