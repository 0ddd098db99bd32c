package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/httpauth"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Who may call an operation is decided by the domain (lpm.Actor.Authorize);
// the API only names, per operation, the action it performs and what the
// action is about. Writes are authorized again by the store inside its
// transaction; reads are authorized here after loading the object, so that
// someone without a role in a portfolio gets the very 404 a missing object
// gives.

// target says what an operation's permission is checked against.
type target string

// Targets of operations.
const (
	// targetSite is the whole site: only site admins hold site actions.
	targetSite target = "site"
	// targetPortfolio is the portfolio in the path ({portfolio}); for the
	// list of portfolios, each portfolio listed.
	targetPortfolio target = "portfolio"
	// targetEpic is the epic in the path: its portfolio, owner and type
	// (some roles may act on their own epics or on enablers only).
	targetEpic target = "epic"
	// targetValueStream and targetTheme are the portfolio of the value
	// stream or strategic theme in the path.
	targetValueStream target = "value_stream"
	targetTheme       target = "theme"
	// targetSelf is the caller's own account: any signed-in user may use it,
	// a read-only token only to read.
	targetSelf target = "self"
)

// where says, for documents, where an action on the target is checked.
var where = map[target]string{
	targetSite:        "on the site, which only site admins may",
	targetPortfolio:   "in the portfolio",
	targetEpic:        "on the epic",
	targetValueStream: "in the value stream's portfolio",
	targetTheme:       "in the strategic theme's portfolio",
}

// permission is what an operation needs. The OpenAPI document shows it as
// the extension x-lpm-permission and in a "Needs:" line of the description.
type permission struct {
	// Action is the action the operation performs; empty for targetSelf.
	Action lpm.Action `json:"action,omitempty"`
	// Actions, set instead of Action, are the actions the request body
	// chooses among; Note says how.
	Actions []lpm.Action `json:"actions,omitempty"`
	Target  target       `json:"target"`
	Note    string       `json:"note,omitempty"`
}

// needs is the permission of an operation performing act on t.
func needs(act lpm.Action, t target) permission { return permission{Action: act, Target: t} }

// needsPerBody is the permission of an operation on t whose action the body
// chooses among acts, as note explains.
func needsPerBody(t target, note string, acts ...lpm.Action) permission {
	return permission{Actions: acts, Target: t, Note: note}
}

// self is the permission of an operation on the caller's own account.
var self = permission{Target: targetSelf}

// metaPermission holds an operation's permission in its metadata, for the
// authentication middleware.
const metaPermission = "lpm-permission"

// extPermission is the OpenAPI extension documenting an operation's permission.
const extPermission = "x-lpm-permission"

func (p permission) actions() []lpm.Action {
	if p.Action != "" {
		return []lpm.Action{p.Action}
	}
	return p.Actions
}

// describe renders the permission of an operation on path as the "Needs:"
// line of its description.
func (p permission) describe(method, path string) string {
	if p.Target == targetSelf {
		if safeMethod(method) {
			return "Needs: a signed-in user, with any token."
		}
		return "Needs: a signed-in user; a read-only token may not do this."
	}
	names := make([]string, 0, len(p.actions()))
	for _, act := range p.actions() {
		names = append(names, fmt.Sprintf("`%s` (%s)", act, act.Describe()))
	}
	var b strings.Builder
	if len(p.Actions) > 0 {
		fmt.Fprintf(&b, "Needs, %s, what the body asks for: %s. %s", where[p.Target], strings.Join(names, ", "), p.Note)
	} else {
		fmt.Fprintf(&b, "Needs: %s %s.", names[0], where[p.Target])
		if p.Note != "" {
			b.WriteString(" " + p.Note)
		}
	}
	if p.Target != targetSite && strings.Contains(path, "{") {
		b.WriteString(" Someone without a role in the portfolio gets 404, as if it did not exist.")
	}
	return b.String()
}

// mayForbid reports whether the operation can answer 403: an action some
// role or token lacks, or a change requested with a read-only token or
// without the session's CSRF token.
func (p permission) mayForbid(method string) bool {
	if !safeMethod(method) {
		return true
	}
	for _, act := range p.actions() {
		if p.Target == targetSite || !act.IsRead() {
			return true
		}
		for _, r := range lpm.Roles {
			if lpm.Grant(r, act) != lpm.All {
				return true
			}
		}
	}
	return false
}

// forbiddenWhen documents the 403 of an operation.
func (p permission) forbiddenWhen(method string) string {
	var parts []string
	switch {
	case p.Target == targetSite:
		parts = append(parts, "the caller is not a site admin")
	case p.Target != targetSelf:
		parts = append(parts, "the caller's roles in the portfolio do not allow what the operation needs (see Needs)")
	}
	if !safeMethod(method) {
		parts = append(parts, "a read-only token asks for a change",
			"the session cookie authenticates the request but "+httpauth.CSRFHeader+" is missing or wrong")
	}
	return strings.Join(parts, ", or ")
}

// safeMethod reports whether method only reads.
func safeMethod(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// errReadOnly refuses a change of one's own account with a read-only token.
var errReadOnly = lpm.Errorf(lpm.EFORBIDDEN, "this API token is read-only; to change your account or tokens, use a read-write token or sign in")

// preauthorize checks, before the body is read, what the operation's
// permission lets it check without loading anything: site actions, actions
// on the portfolio named in the path, and changes to one's own account. A
// caller without a role in the portfolio thus gets 404 whatever the body
// holds. Actions on epics, value streams and themes are checked once the
// object is loaded (reads) or by the store (writes).
func preauthorize(ctx huma.Context, actor lpm.Actor) error {
	p, _ := ctx.Operation().Metadata[metaPermission].(permission)
	switch p.Target {
	case targetSite:
		return actor.Authorize(p.Action, lpm.Target{})
	case targetPortfolio:
		id, err := strconv.ParseInt(ctx.Param("portfolio"), 10, 64)
		if err != nil || id < 1 {
			// No portfolio in the path (the list of portfolios), or a value
			// that names none, which huma answers with 404.
			return nil
		}
		acts := p.actions()
		if len(p.Actions) > 0 {
			// The body chooses among the actions, and the store checks them;
			// here only that the caller may see the portfolio at all.
			acts = []lpm.Action{lpm.ViewPortfolio}
		}
		for _, act := range acts {
			if err := actor.AuthorizeObject(act, lpm.PortfolioTarget(id), "portfolio", id); err != nil {
				return err
			}
		}
	case targetSelf:
		if actor.ReadOnly && !safeMethod(ctx.Method()) {
			return errReadOnly
		}
	}
	return nil
}

// visible loads an object of a portfolio and answers, to a caller without a
// role in that portfolio, exactly what a missing object gives: "value stream
// 42 not found". kind names the object as the store's not-found errors do.
func visible[T any](ctx context.Context, kind string, id int64, find func(context.Context, int64) (T, error), portfolioOf func(T) int64) (T, error) {
	var zero T
	obj, err := find(ctx, id)
	if err != nil {
		return zero, fmt.Errorf("load %s %d: %w", kind, id, err)
	}
	if err := actorFrom(ctx).AuthorizeObject(lpm.ViewPortfolio, lpm.PortfolioTarget(portfolioOf(obj)), kind, id); err != nil {
		return zero, err
	}
	return obj, nil
}

// visibleEpic loads an epic the caller may see.
func (a *apiServer) visibleEpic(ctx context.Context, id int64) (*lpm.Epic, error) {
	return visible(ctx, "epic", id, a.st.FindEpicByID, func(e *lpm.Epic) int64 { return e.PortfolioID })
}
