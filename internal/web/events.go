package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// streamCheckEvery is how often an open event stream checks that its
// session still lives and the person may still see the portfolio; it also
// keeps proxies from closing a quiet connection.
const streamCheckEvery = 20 * time.Second

// Event stream timing: a write that cannot be handed to the connection
// within streamWriteTimeout ends the stream; a browser reconnects after
// streamRetry (live.js adds its own jittered back-off when it has to).
const (
	streamWriteTimeout = 15 * time.Second
	streamRetry        = 3 * time.Second
)

// events streams the portfolio's changes to the pages showing it, as
// server-sent events: "ready" once connected, then a "change" per committed
// change (identifiers only: the page reads what changed with the viewer's
// own permissions). The stream ends when the session ends, the person loses
// access, the subscriber falls behind, or the server shuts down; the browser
// reconnects, and a page that reconnects reloads, since it may have missed
// changes meanwhile.
func (h *handler) events(w http.ResponseWriter, r *http.Request) {
	// Following changes is not the person's activity: an open page must let
	// an idle session end.
	v, ok := h.signedInAs(w, r, true)
	if !ok {
		return
	}
	p, ok := h.portfolio(w, r, v)
	if !ok {
		return
	}
	ctx := r.Context()
	changes, err := h.store.Subscribe(ctx, p.ID)
	if err != nil {
		h.internalError(w, r, "follow the portfolio's changes", err)
		return
	}
	rc := http.NewResponseController(w)
	// The server's write timeout bounds a whole ordinary response; a stream
	// lives as long as its page, so each write gets a deadline of its own
	// instead: a browser that stops reading is let go.
	write := func(format string, args ...any) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(streamWriteTimeout)); err != nil {
			return false
		}
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	// Tells nginx and friends not to buffer the stream.
	hdr.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	send := func(event, data string) bool { return write("event: %s\ndata: %s\n\n", event, data) }
	// retry: how long the browser waits before reconnecting by itself.
	if !write("retry: %d\n\n", streamRetry.Milliseconds()) || !send("ready", "{}") {
		return
	}
	check := time.NewTicker(streamCheckEvery)
	defer check.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-h.streamsDone:
			return
		case c, open := <-changes:
			if !open {
				return
			}
			data, err := json.Marshal(c)
			if err != nil || !send("change", string(data)) {
				return
			}
		case <-check.C:
			if !h.streamMayGoOn(r, p.ID) {
				send("end", "{}")
				return
			}
			if !write(": still here\n\n") {
				return
			}
		}
	}
}

// streamMayGoOn reports whether the stream's session still lives and its
// person may still see the portfolio.
func (h *handler) streamMayGoOn(r *http.Request, portfolioID int64) bool {
	s, u, err := h.findSession(r, true)
	if err != nil || s == nil {
		return false
	}
	actor, err := httpauth.Actor(r.Context(), h.store, u, false, httpauth.ClientAddress(r))
	return err == nil && actor.Member(portfolioID) && actor.Authorize(lpm.ViewPortfolio, lpm.PortfolioTarget(portfolioID)) == nil
}
