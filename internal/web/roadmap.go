package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/roadmap"
)

// sectionRoadmap is the roadmap's entry in the portfolio navigation.
const sectionRoadmap = "roadmap"

// roadmapTableRows bounds the table under the chart: beyond it the page
// points to the JSON, which lists every bar.
const roadmapTableRows = 1000

// roadmapView is the portfolio roadmap page.
type roadmapView struct {
	chrome
	PortfolioID int64
	// From and PIs are the span as asked (the form keeps them); Problem
	// says why it was refused, and then nothing else is shown.
	From, PIs string
	MaxPIs    int
	Problem   string
	// Query is the span as a query string for the image and downloads.
	Query       string
	Description string
	Span        string
	Committed   string
	Rows        []roadmapRowView
	// Hidden counts the bars left out of the table.
	Hidden  int
	Missing []lpm.RoadmapMiss
	Outside int
}

// roadmapRowView is a bar in the table.
type roadmapRowView struct {
	Lane          string
	EpicID        int64
	Key, Title    string
	State         string
	Start, Finish string
	StartBasis    string
	FinishBasis   string
	Committed     bool
}

var roadmapBasisWords = map[string]string{
	lpm.StartImplementation: "entered implementation",
	lpm.StartNextPI:         "next PI",
	lpm.StartNow:            "now",
	lpm.FinishSAFe:          "SAFe forecast",
	lpm.FinishMonteCarlo:    "Monte Carlo 85th percentile",
}

// roadmapSpan reads the span from the query: from (a date), pis.
func roadmapSpan(q url.Values) (roadmap.Span, string) {
	var s roadmap.Span
	if f := q.Get("from"); f != "" {
		t, err := time.Parse("2006-01-02", f)
		if err != nil {
			return s, "The start must be a date, such as 2026-01-05."
		}
		s.From = t
	}
	if p := q.Get("pis"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 {
			return s, "The number of PIs must be a whole number from 1."
		}
		s.PIs = n
	}
	return s, ""
}

// roadmapQuery is the span as a query string (empty for the default).
func roadmapQuery(q url.Values) string {
	out := url.Values{}
	for _, k := range []string{"from", "pis"} {
		if v := q.Get(k); v != "" {
			out.Set(k, v)
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "?" + out.Encode()
}

func (h *handler) roadmapPage(w http.ResponseWriter, r *http.Request) {
	v, p, ok := h.signedInPortfolio(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	view := roadmapView{chrome: h.inPortfolio(w, r, v, p, sectionRoadmap, "Roadmap"), PortfolioID: p.ID,
		From: q.Get("from"), PIs: q.Get("pis"), Query: roadmapQuery(q)}
	if view.PIs == "" {
		view.PIs = strconv.Itoa(lpm.DefaultRoadmapPIs)
	}
	res, problem, ok := h.loadRoadmap(w, r, p)
	if !ok {
		return
	}
	if problem != "" {
		view.Problem = problem
		h.render(w, r, http.StatusUnprocessableEntity, pageRoadmap, view)
		return
	}
	rm := res.Roadmap
	if view.From == "" {
		view.From = rm.Start.Format("2006-01-02")
	}
	view.Description = res.Chart().Description()
	view.Span = fmt.Sprintf("PI %d to PI %d, %s to %s", rm.PIs[0].Number, rm.PIs[len(rm.PIs)-1].Number,
		longDate(rm.Start), longDate(rm.End.AddDate(0, 0, -1)))
	view.Committed = fmt.Sprintf("PI %d and PI %d, until %s", rm.CurrentPI, rm.CurrentPI+1, longDate(rm.CommittedUntil.AddDate(0, 0, -1)))
	for _, l := range rm.Lanes {
		for _, b := range l.Bars {
			if len(view.Rows) == roadmapTableRows {
				view.Hidden++
				continue
			}
			view.Rows = append(view.Rows, roadmapRowView{Lane: l.Name, EpicID: b.EpicID, Key: b.Key, Title: b.Title,
				State: b.State.Title(), Start: longDate(b.Start), Finish: longDate(b.End.Add(-time.Second)),
				StartBasis: roadmapBasisWords[b.StartBasis], FinishBasis: roadmapBasisWords[b.FinishBasis], Committed: b.Committed()})
		}
	}
	view.Missing, view.Outside = rm.NotForecastable, rm.OutsideSpan
	h.render(w, r, http.StatusOK, pageRoadmap, view)
}

// loadRoadmap computes the roadmap of p over the span the query asks for.
// A span that is no good comes back as a problem in words (res nil); any
// other failure is answered with the error page, and ok is false.
func (h *handler) loadRoadmap(w http.ResponseWriter, r *http.Request, p *lpm.Portfolio) (res *roadmap.Result, problem string, ok bool) {
	span, problem := roadmapSpan(r.URL.Query())
	if problem != "" {
		return nil, problem, true
	}
	res, err := roadmap.Load(r.Context(), h.store, p.ID, span, lpm.Now())
	switch {
	case lpm.ErrorCodeOf(err) == lpm.EINVALID:
		return nil, explain(err), true
	case err != nil:
		h.internalError(w, r, "compute the roadmap", err)
		return nil, "", false
	}
	return res, "", true
}

// longDate is 26 Nov 2026.
func longDate(t time.Time) string { return t.UTC().Format("2 Jan 2006") }

// roadmapImage serves the roadmap drawn as SVG or PNG, for the page's
// image (inline) and its download links (?download=1).
func (h *handler) roadmapImage(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, p, ok := h.signedInPortfolio(w, r)
		if !ok {
			return
		}
		res, problem, ok := h.loadRoadmap(w, r, p)
		if !ok {
			return
		}
		if problem != "" {
			h.failTo(w, r, http.StatusUnprocessableEntity, "This roadmap cannot be drawn", problem,
				link{fmt.Sprintf("/portfolios/%d/roadmap", p.ID), "Back to the roadmap"})
			return
		}
		var buf bytes.Buffer
		var err error
		if format == "svg" {
			err = res.Chart().WriteSVG(&buf)
			w.Header().Set("Content-Type", "image/svg+xml")
			// vgsvg styles with style attributes; allow those, and nothing
			// else, when the SVG is opened on its own.
			w.Header().Set("Content-Security-Policy", roadmap.SVGContentSecurityPolicy)
		} else {
			err = res.Chart().WritePNG(&buf, roadmap.PNGDPI)
			w.Header().Set("Content-Type", "image/png")
		}
		if err != nil {
			h.internalError(w, r, "draw the roadmap", err)
			return
		}
		disposition := "inline"
		if r.URL.Query().Get("download") != "" {
			disposition = "attachment"
		}
		w.Header().Set("Content-Disposition", fmt.Sprintf(`%s; filename="%s.%s"`, disposition, res.FileName(), format))
		w.Header().Set("Cache-Control", "private, no-cache")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		if r.Method != http.MethodHead {
			_, _ = w.Write(buf.Bytes())
		}
	}
}
