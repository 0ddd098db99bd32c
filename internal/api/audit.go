package api

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/auditexport"
	"github.com/lpm-project/lpm/internal/lpm"
)

// auditEntry is one entry of an audit trail in JSON, as exports write it.
type auditEntry = auditexport.AuditEntry

// AuditFilters select entries of an audit trail. The type is exported
// because the audit operations embed it, and huma reads the parameters of
// exported embedded structs only.
type AuditFilters struct {
	Actor      string              `query:"actor" maxLength:"200" doc:"Only changes made by this user name."`
	ObjectType auditObjectTypeName `query:"object_type" doc:"Only changes to objects of this type."`
	ObjectID   int64               `query:"object_id" minimum:"1" doc:"Only changes to the object with this id; needs object_type."`
	From       time.Time           `query:"from" doc:"Only changes at or after this time (RFC 3339)."`
	To         time.Time           `query:"to" doc:"Only changes before this time (RFC 3339)."`
}

func (q AuditFilters) filter(portfolioID int64) lpm.AuditFilter {
	return lpm.AuditFilter{PortfolioID: portfolioID, Actor: q.Actor, ObjectType: string(q.ObjectType),
		ObjectID: q.ObjectID, From: q.From, To: q.To}
}

// portfolioAuditQuery pages through a portfolio's audit trail.
type portfolioAuditQuery struct {
	Portfolio int64 `path:"portfolio" minimum:"1" doc:"Portfolio id."`
	AuditFilters
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most entries to return."`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

// siteAuditQuery pages through the site's audit trail.
type siteAuditQuery struct {
	AuditFilters
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most entries to return."`
	Cursor string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

func (a *apiServer) listAudit(ctx context.Context, in *portfolioAuditQuery) (*struct{ Body page[auditEntry] }, error) {
	f := in.filter(in.Portfolio)
	f.Page = lpm.Page{Limit: in.Limit, Cursor: in.Cursor}
	return a.auditPage(ctx, f)
}

func (a *apiServer) listSiteAudit(ctx context.Context, in *siteAuditQuery) (*struct{ Body page[auditEntry] }, error) {
	f := in.filter(0)
	f.Page = lpm.Page{Limit: in.Limit, Cursor: in.Cursor}
	return a.auditPage(ctx, f)
}

// auditPage answers one page of an audit trail, newest first.
func (a *apiServer) auditPage(ctx context.Context, f lpm.AuditFilter) (*struct{ Body page[auditEntry] }, error) {
	list, next, err := a.findAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	return pageOf(list, next, auditexport.FromEntry), nil
}

// findAudit checks the filter and reads one page of entries; for a
// portfolio that does not exist it answers 404.
func (a *apiServer) findAudit(ctx context.Context, f lpm.AuditFilter) ([]lpm.AuditEntry, string, error) {
	if err := f.Validate(); err != nil {
		// Judged before the store so the problem can name the query parameters.
		return nil, "", inQuery(err)
	}
	list, next, err := a.st.FindAudit(ctx, f)
	if f.PortfolioID != 0 {
		err = a.listed(ctx, f.PortfolioID, len(list), err, "audit entries")
	} else if err != nil {
		err = fmt.Errorf("list site audit entries: %w", err)
	}
	return list, next, err
}
