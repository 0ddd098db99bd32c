package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/auditexport"
	"github.com/lpm-project/lpm/internal/lpm"
)

// An export streams every entry an audit filter selects, paging through the
// store, as JSON Lines (one auditEntry object per line) or CSV.

// portfolioAuditExport exports a portfolio's audit trail.
type portfolioAuditExport struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	AuditFilters
	Format string `query:"format" enum:"jsonl,csv" default:"jsonl" doc:"jsonl: one JSON object per line, as the list shows entries. csv: see the response."`
}

// siteAuditExport exports the site's audit trail.
type siteAuditExport struct {
	AuditFilters
	Format string `query:"format" enum:"jsonl,csv" default:"jsonl" doc:"jsonl: one JSON object per line, as the list shows entries. csv: see the response."`
}

func (a *apiServer) exportAudit(ctx context.Context, in *portfolioAuditExport) (*huma.StreamResponse, error) {
	return a.streamAudit(ctx, in.filter(in.Portfolio), in.Format, fmt.Sprintf("portfolio-%d", in.Portfolio))
}

func (a *apiServer) exportSiteAudit(ctx context.Context, in *siteAuditExport) (*huma.StreamResponse, error) {
	return a.streamAudit(ctx, in.filter(0), in.Format, "site")
}

// streamAudit reads the first page before answering, so that a bad filter or
// an unknown portfolio is still answered with a problem; later pages are
// read as the response streams. A failure mid-stream aborts the response, so
// a client cannot take a cut-off export for a whole one.
func (a *apiServer) streamAudit(ctx context.Context, f lpm.AuditFilter, format, name string) (*huma.StreamResponse, error) {
	f.Page = lpm.Page{Limit: lpm.MaxPageSize}
	list, next, err := a.findAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", auditexport.ContentTypes[format])
		hctx.SetHeader("Content-Disposition", fmt.Sprintf(`attachment; filename="lpm-audit-%s.%s"`, name, format))
		hctx.SetHeader("Cache-Control", "no-store")
		hctx.SetStatus(http.StatusOK)
		w, err := auditexport.NewWriter(format, hctx.BodyWriter())
		if err != nil {
			a.abort(ctx, "write audit export", err)
		}
		for {
			for _, e := range list {
				if err := w.Write(e); err != nil {
					a.abort(ctx, "write audit export", err)
				}
			}
			if err := w.Flush(); err != nil {
				a.abort(ctx, "write audit export", err)
			}
			if next == "" {
				return
			}
			f.Page.Cursor = next
			if list, next, err = a.st.FindAudit(ctx, f); err != nil {
				a.abort(ctx, "read audit export", err)
			}
		}
	}}, nil
}

// abort logs why a streamed response stopped and makes net/http cut the
// connection.
func (a *apiServer) abort(ctx context.Context, what string, err error) {
	a.log.WarnContext(ctx, what, "request_id", requestIDFrom(ctx), "err", err)
	panic(http.ErrAbortHandler)
}

// exportResponses documents the 200 response of an export: the same entries
// as the list, as JSON Lines or as CSV with fixed columns.
func exportResponses() map[string]*huma.Response {
	return map[string]*huma.Response{
		"200": {
			Description: "The entries, newest first, as a file download (Content-Disposition: attachment).",
			Content: map[string]*huma.MediaType{
				auditexport.ContentTypes[auditexport.JSONL]: {
					Schema: &huma.Schema{Type: huma.TypeString,
						Description: "One JSON object per line, each shaped like an item of the list (AuditEntry)."},
				},
				"text/csv": {
					Schema: &huma.Schema{Type: huma.TypeString,
						Description: "A header row, then one row per entry. Columns, in this order: " +
							strings.Join(auditexport.Columns, ", ") + ". before and after are JSON objects; at is RFC 3339 " +
							"in UTC. A cell that a spreadsheet would run as a formula (starting with = + - @) starts with an apostrophe."},
				},
			},
		},
	}
}
