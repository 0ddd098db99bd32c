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

func (a *apiServer) getRoadmap(ctx context.Context, in *roadmapQuery) (*struct{ Body roadmap.Document }, error) {
	res, err := in.load(ctx, a)
	if err != nil {
		return nil, err
	}
	return &struct{ Body roadmap.Document }{roadmap.NewDocument(res)}, nil
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
