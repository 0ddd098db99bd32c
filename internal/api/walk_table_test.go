package api_test

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/lpm-project/lpm/internal/lpm"
)

// walkCall is one request of the walk: the path values, query and body.
type walkCall struct {
	params map[string]string
	query  string
	body   any
}

// walkCase is one way of calling an operation and what it needs.
type walkCase struct {
	name string
	// actions the request needs, in the order the domain checks them; none
	// for the caller's own account.
	actions []lpm.Action
	// target is as x-lpm-permission names it: site, portfolio, epic,
	// value_stream, theme or self.
	target string
	// state is, for epic targets, the state the epic must be in.
	state lpm.State
	// list marks the list of portfolios: it answers everyone, listing only
	// what they may see.
	list bool
	// call makes what the request needs (fresh objects where it changes
	// them) and returns it; ep is the epic, for epic targets.
	call func(w *world, p *persona, ep *lpm.Epic) walkCall
}

// in is the call of an operation on the world's portfolio, with a body.
func in(body any) func(*world, *persona, *lpm.Epic) walkCall {
	return func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid)}, body: body}
	}
}

// onEpic is the call of an operation on the epic, with a body.
func onEpic(body any) func(*world, *persona, *lpm.Epic) walkCall {
	return func(_ *world, _ *persona, ep *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"epic": fmt.Sprint(ep.ID)}, body: body}
	}
}

// onUser is the call of an operation on a fresh user, with a body.
func onUser(body any) func(*world, *persona, *lpm.Epic) walkCall {
	return func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"user": w.freshUser().Name}, body: body}
	}
}

// onTheme is the call of an operation on the world's theme, with the path
// values params gives (fresh objects where it changes them) and the body
// body gives.
func onTheme(params func(w *world) map[string]string, body func(w *world) any) func(*world, *persona, *lpm.Epic) walkCall {
	return func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		c := walkCall{params: map[string]string{"theme": fmt.Sprint(w.th)}}
		if params != nil {
			for k, v := range params(w) {
				c.params[k] = v
			}
		}
		if body != nil {
			c.body = body(w)
		}
		return c
	}
}

// onRound is the call of an operation on a fresh open estimation round of
// the world's portfolio, with a body.
func onRound(body any) func(*world, *persona, *lpm.Epic) walkCall {
	return func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "round": fmt.Sprint(w.freshRound())}, body: body}
	}
}

// onImpediment is the call of an operation on a fresh impediment of the
// world's portfolio, with a body.
func onImpediment(body any) func(*world, *persona, *lpm.Epic) walkCall {
	return func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		m := &lpm.Impediment{PortfolioID: w.pid, Title: w.unique("w-impediment-")}
		if err := w.e.st.CreateImpediment(w.ctx, m, w.creator); err != nil {
			w.e.t.Fatalf("create impediment: %v", err)
		}
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "impediment": fmt.Sprint(m.ID)}, body: body}
	}
}

func freshObjectiveParam(w *world) map[string]string {
	return map[string]string{"objective": fmt.Sprint(w.freshObjective())}
}

func freshKeyResultParam(w *world) map[string]string {
	return map[string]string{"key_result": fmt.Sprint(w.freshKeyResult())}
}

func body(b any) func(*world) any { return func(*world) any { return b } }

func acts(a ...lpm.Action) []lpm.Action { return a }

// walkTable says, for every operation of the document, how to call it.
var walkTable = map[string][]walkCase{
	"list-portfolios": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", list: true,
		call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{query: "limit=500"} }}},
	"create-portfolio": {{actions: acts(lpm.CreatePortfolio), target: "site",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			return walkCall{body: map[string]any{"name": w.unique("Walked")}}
		}}},
	"get-portfolio": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"update-portfolio": {
		{name: "settings", actions: acts(lpm.UpdatePortfolio), target: "portfolio", call: in(map[string]any{"description": "walked"})},
		{name: "rename", actions: acts(lpm.UpdatePortfolio, lpm.RenamePortfolio), target: "portfolio",
			call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
				return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid)}, body: map[string]any{"name": w.unique("Walked")}}
			}},
	},

	"list-value-streams": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"create-value-stream": {{actions: acts(lpm.ManageValueStreams), target: "portfolio",
		call: func(w *world, p *persona, ep *lpm.Epic) walkCall {
			return in(map[string]any{"name": w.unique("VS"), "kind": "development"})(w, p, ep)
		}}},
	"get-value-stream": {{actions: acts(lpm.ViewPortfolio), target: "value_stream",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			return walkCall{params: map[string]string{"value_stream": fmt.Sprint(w.vs)}}
		}}},
	"update-value-stream": {{actions: acts(lpm.ManageValueStreams), target: "value_stream",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			return walkCall{params: map[string]string{"value_stream": fmt.Sprint(w.vs)}, body: map[string]any{"description": w.unique("walked")}}
		}}},
	"list-themes": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"create-theme": {{actions: acts(lpm.ManageThemes), target: "portfolio",
		call: func(w *world, p *persona, ep *lpm.Epic) walkCall {
			return in(map[string]any{"name": w.unique("Theme")})(w, p, ep)
		}}},
	"get-theme-okrs":   {{actions: acts(lpm.ViewPortfolio), target: "theme", call: onTheme(nil, nil)}},
	"get-theme-epics":  {{actions: acts(lpm.ViewPortfolio), target: "theme", call: onTheme(nil, nil)}},
	"create-objective": {{actions: acts(lpm.ManageThemes), target: "theme", call: onTheme(nil, body(map[string]any{"title": "Walked"}))}},
	"update-objective": {{actions: acts(lpm.ManageThemes), target: "theme",
		call: onTheme(freshObjectiveParam, body(map[string]any{"title": "Walked again"}))}},
	"create-key-result": {{actions: acts(lpm.ManageThemes), target: "theme",
		call: onTheme(freshObjectiveParam, body(map[string]any{"title": "Walked", "unit": "%", "baseline": 0, "target": 10}))}},
	"update-key-result": {{actions: acts(lpm.ManageThemes), target: "theme",
		call: onTheme(freshKeyResultParam, body(map[string]any{"target": 20}))}},
	"list-check-ins": {{actions: acts(lpm.ViewPortfolio), target: "theme", call: onTheme(freshKeyResultParam, nil)}},
	"add-check-ins": {{actions: acts(lpm.ManageThemes), target: "theme",
		call: onTheme(nil, func(w *world) any {
			return map[string]any{"check_ins": []any{map[string]any{"key_result_id": w.freshKeyResult(), "value": 5,
				"confidence": 7, "status": "on_track"}}}
		})}},
	"import-check-ins": {{actions: acts(lpm.ManageThemes), target: "theme",
		call: onTheme(nil, func(w *world) any {
			return csvBody(fmt.Sprintf("key_result_id,at,value,confidence,status\n%d,2026-11-01,5,7,on_track\n", w.freshKeyResult()))
		})}},
	"get-theme": {{actions: acts(lpm.ViewPortfolio), target: "theme",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			return walkCall{params: map[string]string{"theme": fmt.Sprint(w.th)}}
		}}},

	"list-epics":       {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"create-epic":      {{actions: acts(lpm.ProposeEpic), target: "portfolio", call: in(map[string]any{"title": "Walked", "type": "business"})}},
	"get-epic":         {{actions: acts(lpm.ViewPortfolio), target: "epic", state: lpm.Funnel, call: onEpic(nil)}},
	"update-epic":      {{actions: acts(lpm.EditEpic), target: "epic", state: lpm.Funnel, call: onEpic(map[string]any{"description": "walked"})}},
	"delete-epic":      {{actions: acts(lpm.EditEpic), target: "epic", state: lpm.Funnel, call: onEpic(nil)}},
	"get-epic-history": {{actions: acts(lpm.ViewPortfolio), target: "epic", state: lpm.Funnel, call: onEpic(nil)}},
	"list-decisions":   {{actions: acts(lpm.ViewPortfolio), target: "epic", state: lpm.Funnel, call: onEpic(nil)}},
	"create-decision": {
		{name: "decision", actions: acts(lpm.DecideEpic), target: "epic", state: lpm.Reviewing,
			call: onEpic(map[string]any{"kind": "advance_to_analyzing", "rationale": "walked"})},
		{name: "mvp evaluation", actions: acts(lpm.RecordMVPEvaluation), target: "epic", state: lpm.ImplementingMVP,
			call: onEpic(map[string]any{"kind": "mvp_evaluation", "outcome": "proven", "rationale": "walked"})},
	},
	"transition-epic": {
		{name: "analysis", actions: acts(lpm.MoveAction(lpm.Funnel, lpm.Reviewing)), target: "epic", state: lpm.Funnel,
			call: onEpic(map[string]any{"to": "reviewing"})},
		{name: "delivery", actions: acts(lpm.MoveAction(lpm.Analyzing, lpm.Ready)), target: "epic", state: lpm.Analyzing,
			call: onEpic(map[string]any{"to": "ready"})},
		{name: "retire", actions: acts(lpm.MoveAction(lpm.Funnel, lpm.Done)), target: "epic", state: lpm.Funnel,
			call: onEpic(map[string]any{"to": "done", "done_reason": "declined", "reason": "walked"})},
		{name: "override", actions: acts(lpm.MoveAction(lpm.Funnel, lpm.Reviewing), lpm.OverrideWIP), target: "epic", state: lpm.Funnel,
			call: onEpic(map[string]any{"to": "reviewing", "override_wip": true, "reason": "walked"})},
	},

	"get-kanban":        {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"forecast-backlog":  {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"get-roadmap":       {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"get-roadmap-svg":   {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"get-roadmap-png":   {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"list-dependencies": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"create-dependency": {{actions: acts(lpm.ManageDependencies), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid)},
			body: map[string]any{"from_epic_id": w.roundEpic(), "to_epic_id": w.epic(w.other.Name, lpm.Business, lpm.Funnel).ID}}
	}}},
	"delete-dependency": {{actions: acts(lpm.ManageDependencies), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		d := &lpm.Dependency{PortfolioID: w.pid, FromEpicID: w.roundEpic(), ToEpicID: w.epic(w.other.Name, lpm.Business, lpm.Funnel).ID, Risk: lpm.RiskLow}
		if err := w.e.st.CreateDependency(w.ctx, d, w.creator); err != nil {
			w.e.t.Fatalf("create dependency: %v", err)
		}
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "dependency": fmt.Sprint(d.ID)}}
	}}},
	"list-impediments":       {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"create-impediment":      {{actions: acts(lpm.ManageImpediments), target: "portfolio", call: in(map[string]any{"title": "Walked"})}},
	"get-impediment":         {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: onImpediment(nil)}},
	"update-impediment":      {{actions: acts(lpm.ManageImpediments), target: "portfolio", call: onImpediment(map[string]any{"status": "in_progress"})}},
	"list-estimation-rounds": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"create-estimation-round": {{actions: acts(lpm.RunEstimation), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid)}, body: map[string]any{"title": "Walked", "epic_ids": []int64{w.roundEpic()}}}
	}}},
	"get-estimation-round": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: onRound(nil)}},
	"submit-estimates": {{actions: acts(lpm.EstimateWSJF), target: "portfolio", call: func(w *world, p *persona, ep *lpm.Epic) walkCall {
		c := onRound(nil)(w, p, ep)
		c.body = map[string]any{"estimates": []any{map[string]any{"epic_id": w.roundEpic(), "user_business_value": 3,
			"time_criticality": 5, "risk_reduction_opportunity_enablement": 1, "job_size": 2}}}
		return c
	}}},
	"close-estimation-round": {{actions: acts(lpm.RunEstimation), target: "portfolio", call: onRound(map[string]any{"accept_suggested": true})}},
	"get-epic-forecast":      {{actions: acts(lpm.ViewPortfolio), target: "epic", state: lpm.Funnel, call: onEpic(nil)}},
	"set-epic-forecast": {{actions: acts(lpm.EditEpic), target: "epic", state: lpm.Funnel,
		call: onEpic(map[string]any{"shares": []any{}})}},
	"update-kanban-column": {{actions: acts(lpm.ConfigureKanban), target: "portfolio",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "state": "reviewing"},
				body: map[string]any{"wip_limit": nil}}
		}}},

	"get-me":         {{target: "self", call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{} }}},
	"list-my-tokens": {{target: "self", call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{} }}},
	"create-my-token": {{target: "self",
		call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{body: map[string]any{"name": "walked"}} }}},
	"revoke-my-token": {{target: "self",
		call: func(w *world, p *persona, _ *lpm.Epic) walkCall {
			return walkCall{params: map[string]string{"token": fmt.Sprint(w.freshToken(p.user))}}
		}}},
	"change-my-password": {{target: "self",
		call: func(w *world, p *persona, _ *lpm.Epic) walkCall {
			w.setPassword(p.user)
			return walkCall{body: map[string]any{"current_password": walkPassword, "new_password": walkPassword + " too"}}
		}}},

	"list-users": {{actions: acts(lpm.ManageUsers), target: "site", call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{} }}},
	"create-user": {{actions: acts(lpm.ManageUsers), target: "site",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			return walkCall{body: map[string]any{"name": strings.ToLower(w.unique("walked-"))}}
		}}},
	"get-user":          {{actions: acts(lpm.ManageUsers), target: "site", call: onUser(nil)}},
	"update-user":       {{actions: acts(lpm.ManageUsers), target: "site", call: onUser(map[string]any{"display_name": "Walked"})}},
	"set-user-password": {{actions: acts(lpm.ManageUsers), target: "site", call: onUser(map[string]any{"password": walkPassword})}},
	"list-user-tokens":  {{actions: acts(lpm.ManageUsers), target: "site", call: onUser(nil)}},
	"create-user-token": {{actions: acts(lpm.ManageUsers), target: "site", call: onUser(map[string]any{"name": "walked"})}},
	"revoke-user-token": {{actions: acts(lpm.ManageUsers), target: "site",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			u := w.freshUser()
			return walkCall{params: map[string]string{"user": u.Name, "token": fmt.Sprint(w.freshToken(u))}}
		}}},

	"list-members": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"grant-role": {{actions: acts(lpm.ManageMembers), target: "portfolio",
		call: func(w *world, p *persona, ep *lpm.Epic) walkCall {
			return in(map[string]any{"user": w.freshUser().Name, "role": "viewer"})(w, p, ep)
		}}},
	"revoke-role": {{actions: acts(lpm.ManageMembers), target: "portfolio",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			u := w.freshUser()
			w.e.grant(w.pid, u.Name, lpm.RoleViewer)
			return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "user": u.Name, "role": "viewer"}}
		}}},
	"list-group-roles": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"map-group": {{actions: acts(lpm.ManageMembers), target: "portfolio",
		call: func(w *world, p *persona, ep *lpm.Epic) walkCall {
			return in(map[string]any{"group": w.unique("walkers/"), "role": "viewer"})(w, p, ep)
		}}},
	"unmap-group": {{actions: acts(lpm.ManageMembers), target: "portfolio",
		call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
			g := lpm.GroupRole{PortfolioID: w.pid, Group: w.unique("walkers/team "), Role: lpm.RoleViewer}
			if err := w.e.st.MapGroup(w.ctx, g, system); err != nil {
				w.e.t.Fatalf("map group: %v", err)
			}
			return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "group": g.Group, "role": "viewer"}}
		}}},

	"list-audit":        {{actions: acts(lpm.ViewAudit), target: "portfolio", call: in(nil)}},
	"export-audit":      {{actions: acts(lpm.ViewAudit), target: "portfolio", call: in(nil)}},
	"list-site-audit":   {{actions: acts(lpm.ManageUsers), target: "site", call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{} }}},
	"export-site-audit": {{actions: acts(lpm.ManageUsers), target: "site", call: func(*world, *persona, *lpm.Epic) walkCall { return walkCall{query: "format=csv"} }}},

	"get-canvas": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"save-canvas-version": {{actions: acts(lpm.ManageCanvas), target: "portfolio",
		call: in(map[string]any{"kind": "future", "name": "Walked", "sections": map[string]any{"kpis": "walked"}, "vision": "walked"})}},
	"list-canvas-versions": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: in(nil)}},
	"get-canvas-version": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "version": fmt.Sprint(walkCanvas(w, lpm.CanvasCurrent))}}
	}}},
	"compare-canvas-versions": {{actions: acts(lpm.ViewPortfolio), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid)},
			query: fmt.Sprintf("a=%d&b=%d", walkCanvas(w, lpm.CanvasCurrent), walkCanvas(w, lpm.CanvasFuture))}
	}}},
	"adopt-canvas-version": {{actions: acts(lpm.ManageCanvas), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "version": fmt.Sprint(walkCanvas(w, lpm.CanvasFuture))}}
	}}},
	"retire-canvas-candidate": {{actions: acts(lpm.ManageCanvas), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "state": fmt.Sprint(walkCandidate(w, false))}}
	}}},
	"restore-canvas-candidate": {{actions: acts(lpm.ManageCanvas), target: "portfolio", call: func(w *world, _ *persona, _ *lpm.Epic) walkCall {
		return walkCall{params: map[string]string{"portfolio": fmt.Sprint(w.pid), "state": fmt.Sprint(walkCandidate(w, true))}}
	}}},
}

// walkCandidates numbers the candidates walkCandidate creates.
var walkCandidates atomic.Int64

// walkCandidate creates a candidate of its own (others' walks keep saving
// theirs), retired if asked, and returns its state's id.
func walkCandidate(w *world, retired bool) int64 {
	v := &lpm.CanvasVersion{PortfolioID: w.pid, Kind: lpm.CanvasFuture, Name: fmt.Sprint("Walked candidate ", walkCandidates.Add(1)), Vision: "walked"}
	if err := w.e.st.SaveCanvasVersion(w.ctx, v, w.creator); err != nil {
		w.e.t.Fatalf("save canvas version: %v", err)
	}
	if retired {
		if _, err := w.e.st.RetireCanvasCandidate(w.ctx, w.pid, v.StateID, true, w.creator); err != nil {
			w.e.t.Fatalf("retire canvas candidate: %v", err)
		}
	}
	return v.StateID
}

// walkCanvas saves a version of the world's canvas (of the current state,
// or of a candidate) and returns its id.
func walkCanvas(w *world, kind lpm.CanvasKind) int64 {
	v := &lpm.CanvasVersion{PortfolioID: w.pid, Kind: kind, Vision: "walked"}
	if kind == lpm.CanvasFuture {
		v.Name = "Walked candidate"
	}
	if err := w.e.st.SaveCanvasVersion(w.ctx, v, w.creator); err != nil {
		w.e.t.Fatalf("save canvas version: %v", err)
	}
	return v.ID
}

const walkPassword = "correct horse battery staple"
