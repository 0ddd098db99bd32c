package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
)

// TestConcurrentMovesRespectWIPLimit races 64 clients, each moving a
// different eligible epic into a column with exactly one free place: exactly
// one move may win, on every store.
func TestConcurrentMovesRespectWIPLimit(t *testing.T) {
	forEachStore(t, func(t *testing.T, e *env) {
		const clients = 64
		pid := e.portfolio("P")
		e.must(http.StatusOK, admin, "PATCH", fmt.Sprintf("/api/v1/portfolios/%d/kanban/reviewing", pid), map[string]any{"wip_limit": 2})
		first := id(e.epic(pid, "Already reviewing", map[string]any{"epic_owner": alice}))
		e.move(alice, first, http.StatusOK, map[string]any{"to": "reviewing"})
		ids := make([]int64, clients)
		for i := range ids {
			ids[i] = id(e.epic(pid, fmt.Sprintf("Contender %d", i), map[string]any{"epic_owner": alice}))
		}

		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}}
		defer client.CloseIdleConnections()
		start := make(chan struct{})
		statuses := make([]int, clients)
		bodies := make([][]byte, clients)
		errs := make([]error, clients)
		var wg sync.WaitGroup
		for i, epicID := range ids {
			wg.Go(func() {
				req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/epics/%d/transitions", e.srv.URL, epicID),
					bytes.NewReader([]byte(`{"to":"reviewing"}`)))
				if err != nil {
					errs[i] = err
					return
				}
				req.Header.Set("Authorization", "Bearer "+e.token[alice])
				req.Header.Set("Content-Type", "application/json")
				<-start
				res, err := client.Do(req)
				if err != nil {
					errs[i] = err
					return
				}
				defer res.Body.Close()
				statuses[i] = res.StatusCode
				bodies[i], errs[i] = io.ReadAll(res.Body)
			})
		}
		close(start)
		wg.Wait()

		count := map[int]int{}
		for i, st := range statuses {
			if errs[i] != nil {
				t.Fatalf("client %d: %v", i, errs[i])
			}
			count[st]++
			if st == http.StatusConflict {
				wantProblem(t, &response{status: st, header: http.Header{"Content-Type": {"application/problem+json"}}, body: bodies[i]},
					http.StatusConflict, "urn:lpm:problem:wip-limit")
			}
		}
		if count[http.StatusOK] != 1 || count[http.StatusConflict] != clients-1 || len(count) != 2 {
			t.Fatalf("statuses %v, want one 200 and %d 409", count, clients-1)
		}
		board := e.must(http.StatusOK, alice, "GET", fmt.Sprintf("/api/v1/portfolios/%d/kanban", pid), nil)
		checkFields(t, board, map[string]any{"columns.1.count": 2, "columns.1.at_limit": true, "columns.0.count": clients - 1})
	})
}
