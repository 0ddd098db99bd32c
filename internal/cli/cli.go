// Package cli is the lpm command line: it parses arguments and environment
// into one struct per subcommand (kong), then wires the store, the server,
// the demo and the load test together. Nothing here exits the process or
// keeps global state, so tests run commands in-process with their own writers.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/user"
	"strings"

	"github.com/alecthomas/kong"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// Exit codes of lpm.
const (
	exitOK    = 0
	exitError = 1 // the command ran and failed
	exitUsage = 2 // the command line was wrong
)

// commands is the whole command line of lpm.
type commands struct {
	Serve       serveCmd       `cmd:"" help:"Run the lpm server."`
	User        userCmd        `cmd:"" help:"Manage users and their passwords."`
	Token       tokenCmd       `cmd:"" help:"Manage API tokens."`
	Role        roleCmd        `cmd:"" help:"Grant and revoke roles in portfolios."`
	Group       groupCmd       `cmd:"" help:"Map single sign-on groups to roles in portfolios."`
	Audit       auditCmd       `cmd:"" help:"Verify and export the tamper-evident audit trail."`
	Permissions permissionsCmd `cmd:"" help:"Print the permission matrix: which role may do what (docs/PERMISSIONS.md)."`
	Roadmap     roadmapCmd     `cmd:"" help:"Write a portfolio's roadmap as SVG, PNG or JSON."`
	OKR         okrCmd         `cmd:"" name:"okr" help:"Import key-result check-ins of a strategic theme from CSV."`
	Loadtest    loadtestCmd    `cmd:"" help:"Put load on a running lpm server and report throughput and latency."`
	Version     versionCmd     `cmd:"" help:"Print the lpm version."`
	Help        helpCmd        `cmd:"" help:"Show help for lpm or one of its commands."`
}

// storeFlags name the store every command that opens one uses.
type storeFlags struct {
	DB string `name:"db" env:"LPM_DB" default:"./lpm.db" placeholder:"PATH|URL" help:"SQLite file path or postgres:// URL (default ${default}; ${env})."`
}

// open opens (and migrates) the store the flags name.
func (f storeFlags) open(ctx context.Context, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, f.DB, log)
	if err != nil {
		return nil, fmt.Errorf("open the store %s: %w", redact(f.DB), err)
	}
	return st, nil
}

// adminFlags are the flags of every command that changes or reads the store
// directly: users, tokens, roles, groups, the audit trail.
type adminFlags struct {
	Store    storeFlags `embed:""`
	LogLevel string     `name:"log-level" env:"LPM_LOG_LEVEL" enum:"debug,info,warn,error" default:"warn" help:"Least severe log level written to stderr (${env})."`
}

// open opens the store, logging on stderr.
func (f adminFlags) open(e *env) (*store.Store, error) {
	return f.Store.open(e.ctx, newLogger(e.stderr, f.LogLevel))
}

// cliActor is who the command line acts as: lpm itself, with a site admin's
// rights (whoever can run lpm on the server can read its database anyway),
// named in the audit trail "cli:" and the operating-system user, so a change
// made from a shell says who made it.
func cliActor() lpm.Actor {
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		return lpm.SystemActor("cli")
	}
	return lpm.SystemActor("cli:" + name)
}

// env is what commands get to work with: no globals, only these. stdin
// carries passwords (never flags, which show in process lists).
type env struct {
	ctx            context.Context
	stdin          io.Reader
	stdout, stderr io.Writer
}

// usageError is a wrong command line found after parsing; it exits 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// Run runs lpm with args (without the program name) and returns the exit
// status: 0 on success, 1 when the command failed, 2 for a wrong command
// line. It writes only to stdout and stderr, and reads the LPM_* environment.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var cmds commands
	exit := -1
	k, err := newParser(&cmds, stdout, stderr, func(code int) { exit = code })
	if err != nil {
		fmt.Fprintf(stderr, "lpm: %v\n", err)
		return exitError
	}
	if len(args) == 0 {
		fmt.Fprintln(stderr, "lpm: no command given; run `lpm help` to see the commands")
		return exitUsage
	}
	kctx, err := k.Parse(args)
	if exit >= 0 { // --help printed usage and asked to exit
		return exit
	}
	if err != nil {
		fmt.Fprintf(stderr, "lpm: %v\n", err)
		fmt.Fprintln(stderr, "run `lpm help` for usage")
		return exitUsage
	}
	if err := kctx.Run(&env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr}); err != nil {
		fmt.Fprintf(stderr, "lpm: %v\n", err)
		if errors.As(err, new(usageError)) {
			return exitUsage
		}
		return exitError
	}
	if exit >= 0 {
		return exit
	}
	return exitOK
}

// newParser builds the kong parser for cmds. exit receives the status kong
// asks for after printing help; it must not end the process.
func newParser(cmds *commands, stdout, stderr io.Writer, exit func(int)) (*kong.Kong, error) {
	return kong.New(cmds,
		kong.Name("lpm"),
		kong.Description("Lean Portfolio Management server: portfolio Kanban, WSJF and epics.\n\n"+
			"Commands that change the store act as a site admin and are recorded in the audit trail as cli:<your OS user name>."),
		kong.Writers(stdout, stderr),
		kong.Exit(exit),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
		loadtestVars(),
		serveVars(),
	)
}

// newLogger returns the text logger commands log with, on stderr.
func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

// redact hides the password of a database URL before it is printed.
func redact(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "the database URL"
	}
	return u.Redacted()
}
