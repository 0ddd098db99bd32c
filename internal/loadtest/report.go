package loadtest

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"
)

// Write prints the report as a table people can read and paste into an
// issue: the settings, then one row per phase.
func (r *Report) Write(w io.Writer) {
	fmt.Fprintf(w, "\nlpm load test: %s, mode %s, %d epics (%d%% retired to done), %d clients, %d board clients, %v\n",
		r.URL, r.Mode, r.Epics, r.RetiredPercent, r.Clients, r.BoardClients, r.Duration)
	if r.Limited {
		fmt.Fprintln(w, "reviewing keeps a WIP limit: moves into it count the column under its lock")
	}
	fmt.Fprintf(w, "portfolio %d %q\n\n", r.PortfolioID, r.PortfolioName)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tclients\trequests\terrors\treq/s\tp50\tp90\tp99\tmax\t")
	for _, p := range r.Phases {
		l := p.Latency
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t\n", p.Name, p.Clients, p.Requests, p.ErrorCount(),
			p.Throughput(), ms(l.P50), ms(l.P90), ms(l.P99), ms(l.Max))
	}
	_ = tw.Flush()
	for _, p := range r.Phases {
		if len(p.Errors) == 0 {
			continue
		}
		var parts []string
		for _, s := range statuses(p.Errors) {
			label := fmt.Sprintf("HTTP %d", s)
			if s == 0 {
				label = "no response"
			}
			parts = append(parts, fmt.Sprintf("%s ×%d", label, p.Errors[s]))
		}
		fmt.Fprintf(w, "%s errors: %s\n", p.Name, strings.Join(parts, ", "))
	}
	for _, p := range r.Phases {
		if p.Errors[http.StatusTooManyRequests] > 0 {
			fmt.Fprintln(w, rateLimitHint)
			break
		}
	}
	var cols []string
	for _, c := range r.Board {
		if c.Count > 0 {
			cols = append(cols, fmt.Sprintf("%s %d", c.State, c.Count))
		}
	}
	verdict := "consistent"
	if !r.Consistent() {
		verdict = fmt.Sprintf("INCONSISTENT: %d epics were created", r.Epics)
	}
	fmt.Fprintf(w, "\nboard after the run: %d epics (%s): %s\n", r.BoardTotal(), strings.Join(cols, ", "), verdict)
}

// ms writes a latency in milliseconds with a precision that suits it.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v < 10:
		return fmt.Sprintf("%.2fms", v)
	case v < 1000:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.0fms", v)
}
