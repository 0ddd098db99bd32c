// Package testenv gives tests the real environments they run against: a fresh
// SQLite file, a fresh PostgreSQL database, a Chromium binary. When PostgreSQL
// or Chromium is missing, tests skip with a message saying how to provide it on
// a developer's machine, and fail in CI (CI=true), where they must run.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// DefaultPostgres is the server tests use when LPM_TEST_POSTGRES is unset.
const DefaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// InCI reports whether tests run in CI, where nothing may be skipped for want
// of an environment.
func InCI() bool { return os.Getenv("CI") == "true" }

// Unavailable skips the test on a developer's machine and fails it in CI.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if InCI() {
		t.Fatalf("CI=true and %s", msg)
	}
	t.Skip(msg)
}

// SQLiteDSN returns the path of a new SQLite database file in the test's
// temporary directory.
func SQLiteDSN(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "lpm.db")
}

// PostgresDSN creates an empty PostgreSQL database for the test, drops it when
// the test ends, and returns its URL. The server is LPM_TEST_POSTGRES or
// DefaultPostgres.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("LPM_TEST_POSTGRES")
	if base == "" {
		base = DefaultPostgres
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		Unavailable(t, "PostgreSQL is unreachable at %s (%v); start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set LPM_TEST_POSTGRES", base, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "lpm_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", base, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Stores returns one DSN per store kind, named "sqlite" and "postgres", for
// tests that must behave the same on both.
func Stores(t testing.TB) []Store {
	return []Store{
		{Name: "sqlite", DSN: func(t testing.TB) string { return SQLiteDSN(t) }},
		{Name: "postgres", DSN: func(t testing.TB) string { return PostgresDSN(t) }},
	}
}

// Store names a store kind and makes a fresh, empty database of it.
type Store struct {
	Name string
	DSN  func(t testing.TB) string
}

// ForEachStore runs f as a subtest on a fresh database of each store kind.
func ForEachStore(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Helper()
	for _, s := range Stores(t) {
		t.Run(s.Name, func(t *testing.T) { f(t, s.DSN(t)) })
	}
}

// ChromiumPath returns the Chromium (or Chrome) binary browser tests drive:
// LPM_CHROMIUM when set, else /usr/bin/chromium, else the first of chromium,
// chromium-browser and google-chrome found in PATH. When there is none, the
// test skips on a developer's machine and fails in CI.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("LPM_CHROMIUM"); p != "" {
		if !isExecutable(p) {
			Unavailable(t, "LPM_CHROMIUM=%s is not an executable file, so the browser tests cannot run; "+
				"point it at a Chromium or Chrome binary, or unset it and install Chromium (apt-get install chromium)", p)
		}
		return p
	}
	if p := "/usr/bin/chromium"; isExecutable(p) {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Unavailable(t, "Chromium is not installed, so the browser tests cannot run; "+
		"install it (apt-get install chromium) or set LPM_CHROMIUM to a Chromium or Chrome binary")
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}
