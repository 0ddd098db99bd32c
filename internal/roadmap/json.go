package roadmap

import (
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Document is the roadmap in JSON, as the API answers it and the command
// line writes it. Every end is exclusive: the first
// moment after the period.
type Document struct {
	PortfolioID     int64             `json:"portfolio_id"`
	AsOf            time.Time         `json:"as_of"`
	Start           time.Time         `json:"start" doc:"The span's start: the start of its first PI."`
	End             time.Time         `json:"end" doc:"The span's end (exclusive): the end of its last PI."`
	CurrentPI       int               `json:"current_pi"`
	CommittedUntil  time.Time         `json:"committed_until" doc:"The end of the next PI: until then, epics in implementation with SAFe's forecast are committed; everything else is forecast."`
	PIs             []DocumentPI      `json:"pis"`
	Quarters        []DocumentQuarter `json:"quarters" doc:"Calendar quarters overlapping the span, clipped to it."`
	Lanes           []DocumentLane    `json:"lanes" doc:"One lane per value stream, in the portfolio's order, then one for epics without a value stream; an epic in several value streams is in each lane."`
	NotForecastable []DocumentMiss    `json:"not_forecastable" doc:"Epics with no finish, each once, with the reason; they are not drawn."`
	OutsideSpan     int               `json:"outside_span" doc:"Epics placed wholly before or after the span."`
	Bases           map[string]string `json:"bases" doc:"What each start_basis and finish_basis means."`
}

// DocumentPI is part of a Document.
type DocumentPI struct {
	Number    int       `json:"number"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Committed bool      `json:"committed" doc:"The current PI or the next: the rolling wave's committed near term."`
}

// DocumentQuarter is part of a Document.
type DocumentQuarter struct {
	Label   string    `json:"label" doc:"Such as 2026 Q4."`
	Year    int       `json:"year"`
	Quarter int       `json:"quarter"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
}

// DocumentLane is part of a Document.
type DocumentLane struct {
	ValueStreamID *int64        `json:"value_stream_id" doc:"null for the lane of epics without a value stream."`
	Name          string        `json:"name"`
	Rows          int           `json:"rows" doc:"Bars that do not overlap share a row."`
	Bars          []DocumentBar `json:"bars"`
}

// DocumentBar is part of a Document.
type DocumentBar struct {
	EpicID       int64             `json:"epic_id"`
	Key          string            `json:"key"`
	Title        string            `json:"title"`
	State        lpm.State         `json:"state"`
	Start        time.Time         `json:"start" doc:"The epic's start, before clipping to the span."`
	End          time.Time         `json:"end" doc:"The epic's forecast finish (exclusive), before clipping."`
	StartBasis   string            `json:"start_basis" enum:"implementation_started,next_pi,now"`
	FinishBasis  string            `json:"finish_basis" enum:"safe_forecast,monte_carlo_p85"`
	Committed    bool              `json:"committed" doc:"Part of the bar is committed: an epic in implementation with SAFe's forecast, in the current or next PI."`
	ClippedStart bool              `json:"clipped_start"`
	ClippedEnd   bool              `json:"clipped_end"`
	Row          int               `json:"row"`
	Segments     []DocumentSegment `json:"segments" doc:"The bar within the span: a committed part, then a forecast part."`
}

// DocumentSegment is part of a Document.
type DocumentSegment struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Committed bool      `json:"committed"`
}

// DocumentMiss is part of a Document.
type DocumentMiss struct {
	EpicID int64     `json:"epic_id"`
	Key    string    `json:"key"`
	Title  string    `json:"title"`
	State  lpm.State `json:"state"`
	Reason string    `json:"reason"`
}

// Bases says what each basis means, in the document itself.
var Bases = map[string]string{
	lpm.StartImplementation: "start: when the epic first entered implementation (its first move into implementing_mvp; else when it entered its current state)",
	lpm.StartNextPI:         "start: the next PI's start (work is pulled at PI boundaries)",
	lpm.StartNow:            "start: now (the Monte Carlo forecast finishes it before the next PI)",
	lpm.FinishSAFe:          "finish: SAFe's epic forecast from the ARTs' shares (the end of the finish PI)",
	lpm.FinishMonteCarlo: fmt.Sprintf("finish: the 85th percentile of a Monte Carlo forecast (%d trials of weekly throughput drawn from the last %d weeks; "+
		"epics in implementation first, oldest first, then the Ready backlog in WSJF order)", Trials, HistoryPeriods),
}

// NewDocument is the JSON document of a computed roadmap.
func NewDocument(res *Result) Document {
	r := res.Roadmap
	out := Document{PortfolioID: res.Portfolio.ID, AsOf: res.Now, Start: r.Start, End: r.End, CurrentPI: r.CurrentPI,
		CommittedUntil: r.CommittedUntil, OutsideSpan: r.OutsideSpan, Bases: Bases,
		PIs: make([]DocumentPI, len(r.PIs)), Quarters: make([]DocumentQuarter, len(r.Quarters)),
		Lanes: make([]DocumentLane, len(r.Lanes)), NotForecastable: make([]DocumentMiss, len(r.NotForecastable))}
	for i, p := range r.PIs {
		out.PIs[i] = DocumentPI{p.Number, p.Start, p.End, p.Committed}
	}
	for i, q := range r.Quarters {
		out.Quarters[i] = DocumentQuarter{q.Label(), q.Year, q.Quarter, q.Start, q.End}
	}
	for i, l := range r.Lanes {
		lane := DocumentLane{Name: l.Name, Rows: l.Rows, Bars: make([]DocumentBar, len(l.Bars))}
		if l.ValueStreamID != 0 {
			id := l.ValueStreamID
			lane.ValueStreamID = &id
		}
		for j, b := range l.Bars {
			bar := DocumentBar{EpicID: b.EpicID, Key: b.Key, Title: b.Title, State: b.State, Start: b.Start, End: b.End,
				StartBasis: b.StartBasis, FinishBasis: b.FinishBasis, Committed: b.Committed(), ClippedStart: b.ClippedStart,
				ClippedEnd: b.ClippedEnd, Row: b.Row, Segments: make([]DocumentSegment, len(b.Segments))}
			for k, s := range b.Segments {
				bar.Segments[k] = DocumentSegment{s.Start, s.End, s.Committed}
			}
			lane.Bars[j] = bar
		}
		out.Lanes[i] = lane
	}
	for i, m := range r.NotForecastable {
		out.NotForecastable[i] = DocumentMiss{m.EpicID, m.Key, m.Title, m.State, m.Reason}
	}
	return out
}
