// Package loadtest drives a running lpm server through its JSON API and
// measures how it holds up: many clients moving epics through the Kanban (the
// path where WIP limits are enforced under a lock) while others read the
// board. It creates its own portfolio, so it can run against any server it
// has a site admin's token for without touching existing data.
package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Mode says which load phases run.
type Mode string

// Load modes. In ModeBoth the two phases run at the same time, so board reads
// are measured while moves are being written.
const (
	ModeTransitions Mode = "transitions"
	ModeBoard       Mode = "board"
	ModeBoth        Mode = "both"
)

// The defaults of DefaultConfig, which the command line offers as its
// flags' defaults.
const (
	DefaultURL          = "http://127.0.0.1:8080"
	DefaultOwner        = "admin"
	DefaultEpics        = 1000
	DefaultClients      = 16
	DefaultBoardClients = 4
	DefaultDuration     = 20 * time.Second
	DefaultMaxRequests  = 1_000_000
)

// Config says what load to apply to which server. Start from DefaultConfig:
// Run takes every field as it is, so a zero count or duration is refused
// rather than silently replaced by a default.
type Config struct {
	// URL is the server's base URL; requests go to URL/api/v1 and nowhere else.
	URL string
	// Token is an API token of a site admin: the test creates a portfolio
	// (becoming its portfolio admin) and lifts a WIP limit in it.
	Token string
	// Owner is the user name set as epic owner of the test epics; an epic
	// needs one to enter reviewing. It must be an existing user.
	Owner string
	// Epics is how many epics to create; Clients how many concurrent clients
	// create them and then move them; BoardClients how many read the board.
	Epics, Clients, BoardClients int
	// RetiredPercent is the share of the epics moved to done before the load
	// starts (0–95), so the board counts many more epics than it shows, as in
	// a portfolio that has run for a while. The rest bounce between funnel
	// and reviewing.
	RetiredPercent int
	// Limited keeps a WIP limit on reviewing (as large as the epics moved,
	// so no move is refused): every move into it then counts the column
	// under the column's lock, the path that keeps WIP limits exact. Without
	// it the limit is lifted and moves take no column lock.
	Limited bool
	// Duration is how long the load phases run.
	Duration time.Duration
	Mode     Mode
	// MaxRequests bounds the requests of each load phase, whatever the
	// duration, so a very fast server cannot make the test unbounded.
	MaxRequests int
	// HTTPClient, when set, replaces the tuned client the test builds.
	HTTPClient *http.Client
}

// DefaultConfig returns the settings of a default run; the caller sets at
// least Token.
func DefaultConfig() Config {
	return Config{URL: DefaultURL, Owner: DefaultOwner, Epics: DefaultEpics, Clients: DefaultClients,
		BoardClients: DefaultBoardClients, Duration: DefaultDuration, Mode: ModeBoth, MaxRequests: DefaultMaxRequests}
}

// Validate checks a config, naming each setting (as the command line's
// flags do) that is out of bounds.
func (c Config) Validate() error {
	var problems []string
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("url %q must be an http:// or https:// URL with a host", c.URL))
	}
	if c.Token == "" {
		problems = append(problems, "token is required: an API token of a site admin (lpm token create --user NAME)")
	}
	if c.Owner == "" {
		problems = append(problems, "owner is required: the name of an existing user, set as epic owner of the test epics")
	}
	for _, r := range []struct {
		name      string
		v, lo, hi int
	}{
		{"epics", c.Epics, 1, 1_000_000}, {"clients", c.Clients, 1, 10_000}, {"retired", c.RetiredPercent, 0, 95},
		{"board-clients", c.BoardClients, 1, 10_000}, {"max-requests", c.MaxRequests, 1, 1_000_000_000},
	} {
		if r.v < r.lo || r.v > r.hi {
			problems = append(problems, fmt.Sprintf("%s must be between %d and %d, got %d", r.name, r.lo, r.hi, r.v))
		}
	}
	if c.Duration < 100*time.Millisecond || c.Duration > 24*time.Hour {
		problems = append(problems, fmt.Sprintf("duration must be between 100ms and 24h, got %v", c.Duration))
	}
	switch c.Mode {
	case ModeTransitions, ModeBoard, ModeBoth:
	default:
		problems = append(problems, fmt.Sprintf("mode must be transitions, board or both, got %q", c.Mode))
	}
	if len(problems) > 0 {
		return fmt.Errorf("invalid load test settings: %s", strings.Join(problems, "; "))
	}
	return nil
}

// Report is what a load test measured.
type Report struct {
	URL                          string
	Mode                         Mode
	Epics, Clients, BoardClients int
	RetiredPercent               int
	Limited                      bool
	Duration                     time.Duration
	PortfolioID                  int64
	PortfolioName                string
	// Phases are "create", "retire" (when epics were retired), then
	// "transitions" and/or "board".
	Phases []PhaseReport
	// Board is what the board shows after the run, in Kanban order.
	Board []ColumnCount
}

// ColumnCount is how many epics a Kanban column holds.
type ColumnCount struct {
	State string `json:"state"`
	Count int    `json:"count"`
}

// Phase returns the named phase, nil if it did not run.
func (r *Report) Phase(name string) *PhaseReport {
	for i := range r.Phases {
		if r.Phases[i].Name == name {
			return &r.Phases[i]
		}
	}
	return nil
}

// BoardTotal is how many epics the board shows after the run.
func (r *Report) BoardTotal() int {
	n := 0
	for _, c := range r.Board {
		n += c.Count
	}
	return n
}

// Consistent reports whether the board still holds exactly the epics the
// test created: no move lost or duplicated one.
func (r *Report) Consistent() bool { return r.BoardTotal() == r.Epics }

// Run creates a portfolio with cfg.Epics epics on the server, then applies
// the load for cfg.Duration and writes progress and the report to out. It
// takes cfg as it is (see DefaultConfig) and refuses one that Validate
// refuses. An interrupted run (ctx cancelled) still reports what it measured.
func Run(ctx context.Context, cfg Config, out io.Writer) (*Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = newHTTPClient(cfg.Clients + cfg.BoardClients + 4)
	}
	a := &api{base: strings.TrimRight(cfg.URL, "/") + "/api/v1", token: cfg.Token, http: hc}
	rep := &Report{URL: cfg.URL, Mode: cfg.Mode, Epics: cfg.Epics, Clients: cfg.Clients,
		BoardClients: cfg.BoardClients, RetiredPercent: cfg.RetiredPercent, Limited: cfg.Limited, Duration: cfg.Duration}
	if cfg.Mode == ModeTransitions {
		rep.BoardClients = 0
	}

	var err error
	rep.PortfolioID, rep.PortfolioName, err = createPortfolio(ctx, a, time.Now())
	if err != nil {
		return nil, fmt.Errorf("create the load test portfolio: %w", err)
	}
	fmt.Fprintf(out, "created portfolio %d %q on %s\n", rep.PortfolioID, rep.PortfolioName, cfg.URL)
	ids, create, err := createEpics(ctx, a, rep.PortfolioID, cfg)
	if err != nil {
		return nil, fmt.Errorf("create the load test epics: %w", err)
	}
	rep.Phases = append(rep.Phases, create)
	fmt.Fprintf(out, "created %d epics in %v (owner %s)\n", len(ids), create.Elapsed.Round(time.Millisecond), cfg.Owner)
	if retired := len(ids) * cfg.RetiredPercent / 100; retired > 0 {
		retire, err := retireEpics(ctx, a, ids[:retired], cfg)
		rep.Phases = append(rep.Phases, retire)
		if err != nil {
			return nil, fmt.Errorf("retire %d of the load test epics: %w", retired, err)
		}
		fmt.Fprintf(out, "moved %d epics to done in %v\n", retired, retire.Elapsed.Round(time.Millisecond))
		ids = ids[retired:]
	}
	limit := 0
	if cfg.Limited {
		limit = len(ids)
	}
	if err := setReviewingLimit(ctx, a, rep.PortfolioID, limit); err != nil {
		return nil, err
	}

	fmt.Fprintf(out, "running %s for %v…\n", cfg.Mode, cfg.Duration)
	deadline := time.Now().Add(cfg.Duration)
	var wg sync.WaitGroup
	var moves, reads PhaseReport
	if cfg.Mode != ModeBoard {
		wg.Go(func() { moves = transitionsPhase(ctx, deadline, a, ids, cfg) })
	}
	if cfg.Mode != ModeTransitions {
		wg.Go(func() { reads = boardPhase(ctx, deadline, a, rep.PortfolioID, cfg) })
	}
	wg.Wait()
	if cfg.Mode != ModeBoard {
		rep.Phases = append(rep.Phases, moves)
	}
	if cfg.Mode != ModeTransitions {
		rep.Phases = append(rep.Phases, reads)
	}

	// Read the final board even after an interrupt, with a bound of its own.
	final, cancelFinal := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancelFinal()
	rep.Board, err = boardCounts(final, a, rep.PortfolioID)
	if err != nil {
		return rep, fmt.Errorf("read the board after the run: %w", err)
	}
	rep.Write(out)
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("load test interrupted: %w", err)
	}
	return rep, nil
}

// budget bounds the requests of a phase.
type budget struct {
	left atomic.Int64
}

func newBudget(n int) *budget {
	b := &budget{}
	b.left.Store(int64(n))
	return b
}

// take reserves one request, false when the budget is spent.
func (b *budget) take() bool { return b.left.Add(-1) >= 0 }
