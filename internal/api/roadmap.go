package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/roadmap"
)

// roadmapQuery asks for the portfolio roadmap over a span of PIs.
type roadmapQuery struct {
	Portfolio int64  `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	From      string `query:"from" pattern:"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" doc:"A day in the first PI shown, YYYY-MM-DD; default today (the current PI)."`
	PIs       int    `query:"pis" minimum:"1" maximum:"156" default:"6" doc:"How many PIs to show; the span may not be longer than three years."`
}

func (q *roadmapQuery) load(ctx context.Context, a *apiServer) (*roadmap.Result, error) {
	span := roadmap.Span{PIs: q.PIs}
	if q.From != "" {
		t, err := time.Parse(dateLayout, q.From)
		if err != nil {
			return nil, &lpm.Error{Code: lpm.EINVALID, Message: "invalid roadmap span",
				Violations: []lpm.Violation{{Field: "from", Rule: "format", Message: "from must be a date YYYY-MM-DD"}}}
		}
		span.From = t
	}
	return roadmap.Load(ctx, a.st, q.Portfolio, span, lpm.Now())
}

// roadmapBody is the roadmap in JSON. Every end is exclusive: the first
// moment after the period.
type roadmapBody struct {
	PortfolioID     int64             `json:"portfolio_id"`
	AsOf            time.Time         `json:"as_of"`
	Start           time.Time         `json:"start" doc:"The span's start: the start of its first PI."`
	End             time.Time         `json:"end" doc:"The span's end (exclusive): the end of its last PI."`
	CurrentPI       int               `json:"current_pi"`
	CommittedUntil  time.Time         `json:"committed_until" doc:"The end of the next PI: until then, epics in implementation with SAFe's forecast are committed; everything else is forecast."`
	PIs             []roadmapPI       `json:"pis"`
	Quarters        []roadmapQtr      `json:"quarters" doc:"Calendar quarters overlapping the span, clipped to it."`
	Lanes           []roadmapLane     `json:"lanes" doc:"One lane per value stream, in the portfolio's order, then one for epics without a value stream; an epic in several value streams is in each lane."`
	NotForecastable []roadmapMiss     `json:"not_forecastable" doc:"Epics with no finish, each once, with the reason; they are not drawn."`
	OutsideSpan     int               `json:"outside_span" doc:"Epics placed wholly before or after the span."`
	Bases           map[string]string `json:"bases" doc:"What each start_basis and finish_basis means."`
}

type roadmapPI struct {
	Number    int       `json:"number"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Committed bool      `json:"committed" doc:"The current PI or the next: the rolling wave's committed near term."`
}

type roadmapQtr struct {
	Label   string    `json:"label" doc:"Such as 2026 Q4."`
	Year    int       `json:"year"`
	Quarter int       `json:"quarter"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
}

type roadmapLane struct {
	ValueStreamID *int64       `json:"value_stream_id" doc:"null for the lane of epics without a value stream."`
	Name          string       `json:"name"`
	Rows          int          `json:"rows" doc:"Bars that do not overlap share a row."`
	Bars          []roadmapBar `json:"bars"`
}

type roadmapBar struct {
	EpicID       int64            `json:"epic_id"`
	Key          string           `json:"key"`
	Title        string           `json:"title"`
	State        lpm.State        `json:"state"`
	Start        time.Time        `json:"start" doc:"The epic's start, before clipping to the span."`
	End          time.Time        `json:"end" doc:"The epic's forecast finish (exclusive), before clipping."`
	StartBasis   string           `json:"start_basis" enum:"implementation_started,next_pi,now"`
	FinishBasis  string           `json:"finish_basis" enum:"safe_forecast,monte_carlo_p85"`
	Committed    bool             `json:"committed" doc:"Part of the bar is committed: an epic in implementation with SAFe's forecast, in the current or next PI."`
	ClippedStart bool             `json:"clipped_start"`
	ClippedEnd   bool             `json:"clipped_end"`
	Row          int              `json:"row"`
	Segments     []roadmapSegment `json:"segments" doc:"The bar within the span: a committed part, then a forecast part."`
}

type roadmapSegment struct {
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Committed bool      `json:"committed"`
}

type roadmapMiss struct {
	EpicID int64     `json:"epic_id"`
	Key    string    `json:"key"`
	Title  string    `json:"title"`
	State  lpm.State `json:"state"`
	Reason string    `json:"reason"`
}

// roadmapBases says what each basis means, in the answer itself.
var roadmapBases = map[string]string{
	lpm.StartImplementation: "start: when the epic entered its current implementation state",
	lpm.StartNextPI:         "start: the next PI's start (work is pulled at PI boundaries)",
	lpm.StartNow:            "start: now (the Monte Carlo forecast finishes it before the next PI)",
	lpm.FinishSAFe:          "finish: SAFe's epic forecast from the ARTs' shares (the end of the finish PI)",
	lpm.FinishMonteCarlo: fmt.Sprintf("finish: the 85th percentile of a Monte Carlo forecast (%d trials of weekly throughput drawn from the last %d weeks; "+
		"epics in implementation first, oldest first, then the Ready backlog in WSJF order)", roadmap.Trials, roadmap.HistoryPeriods),
}

func toRoadmapBody(res *roadmap.Result) roadmapBody {
	r := res.Roadmap
	out := roadmapBody{PortfolioID: res.Portfolio.ID, AsOf: res.Now, Start: r.Start, End: r.End, CurrentPI: r.CurrentPI,
		CommittedUntil: r.CommittedUntil, OutsideSpan: r.OutsideSpan, Bases: roadmapBases,
		PIs: make([]roadmapPI, len(r.PIs)), Quarters: make([]roadmapQtr, len(r.Quarters)),
		Lanes: make([]roadmapLane, len(r.Lanes)), NotForecastable: make([]roadmapMiss, len(r.NotForecastable))}
	for i, p := range r.PIs {
		out.PIs[i] = roadmapPI{p.Number, p.Start, p.End, p.Committed}
	}
	for i, q := range r.Quarters {
		out.Quarters[i] = roadmapQtr{q.Label(), q.Year, q.Quarter, q.Start, q.End}
	}
	for i, l := range r.Lanes {
		lane := roadmapLane{Name: l.Name, Rows: l.Rows, Bars: make([]roadmapBar, len(l.Bars))}
		if l.ValueStreamID != 0 {
			id := l.ValueStreamID
			lane.ValueStreamID = &id
		}
		for j, b := range l.Bars {
			bar := roadmapBar{EpicID: b.EpicID, Key: b.Key, Title: b.Title, State: b.State, Start: b.Start, End: b.End,
				StartBasis: b.StartBasis, FinishBasis: b.FinishBasis, Committed: b.Committed(), ClippedStart: b.ClippedStart,
				ClippedEnd: b.ClippedEnd, Row: b.Row, Segments: make([]roadmapSegment, len(b.Segments))}
			for k, s := range b.Segments {
				bar.Segments[k] = roadmapSegment{s.Start, s.End, s.Committed}
			}
			lane.Bars[j] = bar
		}
		out.Lanes[i] = lane
	}
	for i, m := range r.NotForecastable {
		out.NotForecastable[i] = roadmapMiss{m.EpicID, m.Key, m.Title, m.State, m.Reason}
	}
	return out
}

func (a *apiServer) getRoadmap(ctx context.Context, in *roadmapQuery) (*struct{ Body roadmapBody }, error) {
	res, err := in.load(ctx, a)
	if err != nil {
		return nil, err
	}
	return &struct{ Body roadmapBody }{toRoadmapBody(res)}, nil
}

// roadmapFile is the roadmap drawn, as a download.
type roadmapFile struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	// CSP replaces the site's policy for the SVG (see roadmap.SVGContentSecurityPolicy).
	CSP  string `header:"Content-Security-Policy"`
	Body []byte
}

func (a *apiServer) getRoadmapSVG(ctx context.Context, in *roadmapQuery) (*roadmapFile, error) {
	res, err := in.load(ctx, a)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := res.Chart().WriteSVG(&buf); err != nil {
		return nil, err
	}
	return &roadmapFile{ContentType: "image/svg+xml", Body: buf.Bytes(), CSP: roadmap.SVGContentSecurityPolicy,
		ContentDisposition: fmt.Sprintf(`attachment; filename="%s.svg"`, res.FileName())}, nil
}

func (a *apiServer) getRoadmapPNG(ctx context.Context, in *roadmapQuery) (*roadmapFile, error) {
	res, err := in.load(ctx, a)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := res.Chart().WritePNG(&buf, roadmap.PNGDPI); err != nil {
		return nil, err
	}
	return &roadmapFile{ContentType: "image/png", Body: buf.Bytes(),
		ContentDisposition: fmt.Sprintf(`attachment; filename="%s.png"`, res.FileName())}, nil
}

// roadmapFileResponses documents the 200 response of a drawn roadmap.
func roadmapFileResponses(mediaType, what string) map[string]*huma.Response {
	return map[string]*huma.Response{
		"200": {
			Description: "The roadmap " + what + ", as a file download (Content-Disposition: attachment).",
			Headers: map[string]*huma.Param{
				"Content-Disposition": {Schema: &huma.Schema{Type: huma.TypeString}, Description: `attachment; filename="roadmap-portfolio-ID-piN-piM.EXT"`},
			},
			Content: map[string]*huma.MediaType{mediaType: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}},
		},
	}
}

// roadmapRoutes registers the roadmap's three forms.
func (a *apiServer) roadmapRoutes() {
	const tag = "Roadmap"
	desc := "The portfolio roadmap: a timeline of PIs and calendar quarters, the epics from analysis through implementation in lanes " +
		"by value stream. Rolling wave: the current PI and the next are committed for epics in implementation whose finish is SAFe's " +
		"forecast; later PIs, and epics not yet in implementation, are forecast. An epic in implementation starts when it entered its " +
		"implementation state, the others at the next PI. Each finishes with SAFe's forecast when the ARTs' shares are set, else at the " +
		"Monte Carlo forecast's 85th percentile; else it is listed in not_forecastable with the reason."
	span := when(kindInvalid, "from is not a date, or the span is longer than three years")
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-roadmap", Method: http.MethodGet,
		Path: "/portfolios/{portfolio}/roadmap", Summary: "Get the portfolio roadmap", Tags: []string{tag}, Description: desc}, a.getRoadmap, span)
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-roadmap-svg", Method: http.MethodGet,
		Path: "/portfolios/{portfolio}/roadmap.svg", Summary: "Download the portfolio roadmap as SVG", Tags: []string{tag},
		Responses:   roadmapFileResponses("image/svg+xml", "as an SVG image with a title, a description and its text as text"),
		Description: desc + " The same drawing as the PNG; at most the first 120 rows of bars are drawn, the rest counted in a note."},
		a.getRoadmapSVG, span)
	register(a, needs(lpm.ViewPortfolio, targetPortfolio), huma.Operation{OperationID: "get-roadmap-png", Method: http.MethodGet,
		Path: "/portfolios/{portfolio}/roadmap.png", Summary: "Download the portfolio roadmap as PNG", Tags: []string{tag},
		Responses:   roadmapFileResponses("image/png", "as a PNG image at 96 dots per inch"),
		Description: desc + " The same drawing as the SVG; at most the first 120 rows of bars are drawn, the rest counted in a note."},
		a.getRoadmapPNG, span)
}
