package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// retireEpics moves ids to done (declined) with cfg.Clients concurrent
// clients. A portfolio that has run for a while holds mostly finished epics,
// so a board read must count far more epics than it shows; retiring part of
// the test epics gives the board that shape. The first failure stops all.
func retireEpics(ctx context.Context, a *api, ids []int64, cfg Config) (PhaseReport, error) {
	tallies := make([]tally, max(1, min(cfg.Clients, len(ids))))
	body := map[string]any{"to": "done", "done_reason": "declined", "reason": "loadtest: retired to shape the board"}
	start := time.Now()
	err := eachIndex(ctx, len(ids), len(tallies), func(ctx context.Context, w, i int) error {
		path := fmt.Sprintf("/epics/%d/transitions", ids[i])
		t0 := time.Now()
		res, err := a.do(ctx, http.MethodPost, path, body)
		d := time.Since(t0)
		if err == nil && res.status != http.StatusOK {
			err = fmt.Errorf("POST %s: %s", path, problem(res))
		}
		if err != nil && ctx.Err() != nil {
			return err
		}
		tallies[w].record(d, res.status, err == nil)
		return err
	})
	return phaseReport("retire", time.Since(start), tallies), err
}
