package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// createPortfolio makes the portfolio the test works in; the timestamp keeps
// names apart between runs.
func createPortfolio(ctx context.Context, a *api, now time.Time) (int64, string, error) {
	name := "loadtest " + now.UTC().Format("2006-01-02T15:04:05.000Z")
	var p struct {
		ID int64 `json:"id"`
	}
	err := a.call(ctx, http.MethodPost, "/portfolios", map[string]any{
		"name":        name,
		"description": "Created by lpm loadtest; safe to ignore.",
		"key_prefix":  "LT",
	}, http.StatusCreated, &p)
	if err != nil {
		return 0, "", err
	}
	if p.ID == 0 {
		return 0, "", fmt.Errorf("the server answered without a portfolio id")
	}
	return p.ID, name, nil
}

// createEpics creates cfg.Epics funnel epics with cfg.Clients concurrent
// clients and returns their IDs in creation order. The first failure stops
// all clients: the load phases need every epic.
func createEpics(ctx context.Context, a *api, portfolioID int64, cfg Config) ([]int64, PhaseReport, error) {
	ids := make([]int64, cfg.Epics)
	tallies := make([]tally, min(cfg.Clients, cfg.Epics))
	path := fmt.Sprintf("/portfolios/%d/epics", portfolioID)
	start := time.Now()
	err := eachIndex(ctx, cfg.Epics, len(tallies), func(ctx context.Context, w, i int) error {
		body := map[string]any{
			"title":       fmt.Sprintf("Load test epic %d", i+1),
			"type":        "business",
			"description": "An epic the load test moves back and forth between funnel and reviewing.",
			"epic_owner":  cfg.Owner,
		}
		var e struct {
			ID int64 `json:"id"`
		}
		t0 := time.Now()
		res, err := a.do(ctx, http.MethodPost, path, body)
		d := time.Since(t0)
		if err == nil && res.status == http.StatusCreated {
			err = decode(res, &e)
		} else if err == nil {
			err = fmt.Errorf("POST %s: %s", path, problem(res))
		}
		if err != nil && ctx.Err() != nil {
			return err // stopped by another client's failure: not a measurement
		}
		tallies[w].record(d, res.status, err == nil)
		ids[i] = e.ID
		return err
	})
	return ids, phaseReport("create", time.Since(start), tallies), err
}

// setReviewingLimit makes sure moves into reviewing are never refused, so the
// test measures the move itself, and that the way back to the funnel is
// enabled. With limit 0 it clears the column's WIP limit; otherwise it sets
// the limit (as large as the number of epics), so every move into reviewing
// takes the path that counts the column under its lock.
func setReviewingLimit(ctx context.Context, a *api, portfolioID int64, limit int) error {
	var col struct {
		WIPLimit      *int `json:"wip_limit"`
		AllowBackward bool `json:"allow_backward"`
	}
	var want any // JSON null clears the limit
	if limit > 0 {
		want = limit
	}
	path := fmt.Sprintf("/portfolios/%d/kanban/reviewing", portfolioID)
	err := a.call(ctx, http.MethodPatch, path, map[string]any{"wip_limit": want, "allow_backward": true}, http.StatusOK, &col)
	if err != nil {
		return fmt.Errorf("set the WIP limit of reviewing: %w", err)
	}
	if (limit == 0) != (col.WIPLimit == nil) || (limit > 0 && *col.WIPLimit != limit) {
		return fmt.Errorf("set the WIP limit of reviewing to %d: the server answered %v", limit, col.WIPLimit)
	}
	if !col.AllowBackward {
		return fmt.Errorf("enable moves back from reviewing: the server kept allow_backward false")
	}
	return nil
}

// transitionBody is a move request; the way back needs a reason.
type transitionBody struct {
	To     string `json:"to"`
	Reason string `json:"reason,omitempty"`
}

// transitionsPhase has each client move its own epics, round robin, from
// funnel to reviewing and back until the deadline. The clients' epics are
// disjoint, so every move is valid and any refusal is a server problem.
func transitionsPhase(ctx context.Context, deadline time.Time, a *api, ids []int64, cfg Config) PhaseReport {
	n := min(cfg.Clients, len(ids))
	tallies := make([]tally, n)
	b := newBudget(cfg.MaxRequests)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range n {
		var mine []int64
		for i := w; i < len(ids); i += n {
			mine = append(mine, ids[i])
		}
		wg.Go(func() { moveEpics(ctx, deadline, a, mine, &tallies[w], b) })
	}
	wg.Wait()
	return phaseReport("transitions", time.Since(start), tallies)
}

// running reports whether a client should send another request: the phase
// has time and requests left, and nobody interrupted the test. A request
// sent before the deadline completes, so none is cut short at the server.
func running(ctx context.Context, deadline time.Time, b *budget) bool {
	return ctx.Err() == nil && time.Now().Before(deadline) && b.take()
}

// moveEpics is one transitions client.
func moveEpics(ctx context.Context, deadline time.Time, a *api, ids []int64, t *tally, b *budget) {
	toReviewing := transitionBody{To: "reviewing"}
	toFunnel := transitionBody{To: "funnel", Reason: "loadtest"}
	inReviewing := make([]bool, len(ids))
	for i := 0; running(ctx, deadline, b); i = (i + 1) % len(ids) {
		body := toReviewing
		if inReviewing[i] {
			body = toFunnel
		}
		t0 := time.Now()
		res, err := a.do(ctx, http.MethodPost, fmt.Sprintf("/epics/%d/transitions", ids[i]), body)
		d := time.Since(t0)
		if err != nil && ctx.Err() != nil {
			return // interrupted: not a measurement
		}
		ok := err == nil && res.status == http.StatusOK
		t.record(d, res.status, ok)
		switch {
		case ok:
			inReviewing[i] = !inReviewing[i]
		case res.status == http.StatusUnprocessableEntity:
			// Our idea of where the epic is was wrong (say a move that timed
			// out here still happened at the server): follow the server.
			inReviewing[i] = !inReviewing[i]
		case err != nil:
			pause(ctx) // no answer: do not spin on a server that is down
		}
	}
}

// boardPhase has cfg.BoardClients clients read the board until the deadline.
func boardPhase(ctx context.Context, deadline time.Time, a *api, portfolioID int64, cfg Config) PhaseReport {
	tallies := make([]tally, cfg.BoardClients)
	b := newBudget(cfg.MaxRequests)
	path := fmt.Sprintf("/portfolios/%d/kanban?limit=50", portfolioID)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range tallies {
		wg.Go(func() {
			for running(ctx, deadline, b) {
				t0 := time.Now()
				res, err := a.do(ctx, http.MethodGet, path, nil)
				d := time.Since(t0)
				if err != nil && ctx.Err() != nil {
					return
				}
				tallies[w].record(d, res.status, err == nil && res.status == http.StatusOK)
				if err != nil {
					pause(ctx)
				}
			}
		})
	}
	wg.Wait()
	return phaseReport("board", time.Since(start), tallies)
}

// boardCounts reads how many epics each column of the board holds.
func boardCounts(ctx context.Context, a *api, portfolioID int64) ([]ColumnCount, error) {
	var board struct {
		Columns []ColumnCount `json:"columns"`
	}
	if err := a.call(ctx, http.MethodGet, fmt.Sprintf("/portfolios/%d/kanban?limit=1", portfolioID), nil, http.StatusOK, &board); err != nil {
		return nil, err
	}
	return board.Columns, nil
}

// pause waits a little, or until ctx ends.
func pause(ctx context.Context) {
	t := time.NewTimer(50 * time.Millisecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
