package cli

import (
	"strconv"
	"time"

	"github.com/alecthomas/kong"
	"github.com/lpm-project/lpm/internal/loadtest"
)

// loadtestCmd runs internal/loadtest against a server. Its defaults are the
// load test's own (loadtestVars); a value given on the command line is taken
// as it is, so --epics 0 is refused, not turned into the default.
type loadtestCmd struct {
	URL          string        `name:"url" env:"LPM_URL" default:"${loadtest_url}" help:"Base URL of the lpm server (${env})."`
	Token        string        `env:"LPM_TOKEN" required:"" help:"API token of a site admin (${env}): the test creates its own portfolio."`
	Owner        string        `default:"${loadtest_owner}" help:"Existing user name set as epic owner of the test epics."`
	Epics        int           `default:"${loadtest_epics}" help:"Epics to create, 1-1000000."`
	Clients      int           `default:"${loadtest_clients}" help:"Concurrent clients creating and moving epics, 1-10000."`
	Retired      int           `default:"0" help:"Percent of the epics moved to done before the load starts (0-95), so the board counts more epics than it shows."`
	Limited      bool          `help:"Keep a WIP limit on reviewing (as large as the epics) so every move takes the locked, counted path that keeps limits exact."`
	BoardClients int           `name:"board-clients" default:"${loadtest_board_clients}" help:"Concurrent clients reading the board, 1-10000."`
	Duration     time.Duration `default:"${loadtest_duration}" help:"How long the load runs, 100ms-24h."`
	Mode         string        `enum:"transitions,board,both" default:"both" help:"Which load to apply: transitions, board, or both at once."`
	MaxRequests  int           `name:"max-requests" default:"${loadtest_max_requests}" help:"Most requests per load phase, whatever the duration."`
}

// loadtestVars gives the loadtest flags the load test's defaults.
func loadtestVars() kong.Vars {
	d := loadtest.DefaultConfig()
	return kong.Vars{
		"loadtest_url":           d.URL,
		"loadtest_owner":         d.Owner,
		"loadtest_epics":         strconv.Itoa(d.Epics),
		"loadtest_clients":       strconv.Itoa(d.Clients),
		"loadtest_board_clients": strconv.Itoa(d.BoardClients),
		"loadtest_duration":      d.Duration.String(),
		"loadtest_max_requests":  strconv.Itoa(d.MaxRequests),
	}
}

// Run applies the load and prints the report on stdout. Settings out of
// bounds are a wrong command line (exit 2), found before anything is sent.
func (c *loadtestCmd) Run(e *env) error {
	cfg := c.config()
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	_, err := loadtest.Run(e.ctx, cfg, e.stdout)
	return err
}

// config is the load test the flags ask for.
func (c *loadtestCmd) config() loadtest.Config {
	return loadtest.Config{
		URL: c.URL, Token: c.Token, Owner: c.Owner, Epics: c.Epics, Clients: c.Clients, RetiredPercent: c.Retired, Limited: c.Limited,
		BoardClients: c.BoardClients, Duration: c.Duration, Mode: loadtest.Mode(c.Mode), MaxRequests: c.MaxRequests,
	}
}
