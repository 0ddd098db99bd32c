package cli

import (
	"time"

	"github.com/lpm-project/lpm/internal/loadtest"
)

// loadtestCmd runs internal/loadtest against a server.
type loadtestCmd struct {
	URL          string        `name:"url" env:"LPM_URL" default:"http://127.0.0.1:8080" help:"Base URL of the lpm server (${env})."`
	Token        string        `env:"LPM_TOKEN" required:"" help:"API token of an admin (${env}): the test creates its own portfolio."`
	Owner        string        `default:"admin" help:"Existing user name set as epic owner of the test epics."`
	Epics        int           `default:"1000" help:"Epics to create."`
	Clients      int           `default:"16" help:"Concurrent clients creating and moving epics."`
	Retired      int           `default:"0" help:"Percent of the epics moved to done before the load starts (0-95), so the board counts more epics than it shows."`
	BoardClients int           `name:"board-clients" default:"4" help:"Concurrent clients reading the board."`
	Duration     time.Duration `default:"20s" help:"How long the load runs."`
	Mode         string        `enum:"transitions,board,both" default:"both" help:"Which load to apply: transitions, board, or both at once."`
	MaxRequests  int           `name:"max-requests" default:"1000000" help:"Most requests per load phase, whatever the duration."`
}

// Run applies the load and prints the report on stdout.
func (c *loadtestCmd) Run(e *env) error {
	_, err := loadtest.Run(e.ctx, loadtest.Config{
		URL: c.URL, Token: c.Token, Owner: c.Owner, Epics: c.Epics, Clients: c.Clients, RetiredPercent: c.Retired,
		BoardClients: c.BoardClients, Duration: c.Duration, Mode: loadtest.Mode(c.Mode), MaxRequests: c.MaxRequests,
	}, e.stdout)
	return err
}
