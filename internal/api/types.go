package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// The enumerations of the API are named types whose schema lists the values
// from the domain's own constants, so the documented enums cannot drift from
// the rules.

// stateName is a Kanban state in JSON.
type stateName string

// Schema documents the Kanban states in board order.
func (stateName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("A portfolio Kanban state, in board order.", stateValues()...)
}

// stateValues lists the Kanban states in board order, as JSON spells them.
func stateValues() []string {
	vs := make([]string, len(lpm.States))
	for i, s := range lpm.States {
		vs[i] = string(s)
	}
	return vs
}

// epicTypeName is business or enabler.
type epicTypeName string

// Schema documents the epic types.
func (epicTypeName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("business epics deliver value directly; enabler epics extend the architectural runway.",
		string(lpm.Business), string(lpm.Enabler))
}

// doneReasonName says why an epic is done.
type doneReasonName string

// Schema documents every done reason any state allows.
func (doneReasonName) Schema(huma.Registry) *huma.Schema {
	var vs []string
	seen := map[lpm.DoneReason]bool{}
	for _, s := range lpm.States {
		for _, r := range lpm.DoneReasonsFrom(s) {
			if !seen[r] {
				seen[r] = true
				vs = append(vs, string(r))
			}
		}
	}
	return enumSchema("Why the epic left portfolio governance; each state allows only some reasons.", vs...)
}

// enforcementName is what a full WIP limit does.
type enforcementName string

// Schema documents the enforcement modes.
func (enforcementName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("block refuses moves into a full column (someone holding override_wip may override with a reason); warn allows them and flags them in the history.",
		string(lpm.Block), string(lpm.Warn))
}

// decisionKindName is the kind of an LPM decision, as responses show it.
type decisionKindName string

// Schema documents every decision kind a response may carry, override
// included.
func (decisionKindName) Schema(huma.Registry) *huma.Schema {
	kinds := append(recordableKinds(), string(lpm.DecisionOverride))
	return enumSchema("What the decision is about. override is recorded by lpm when someone moves an epic past a full WIP limit with override_wip.", kinds...)
}

// decisionKindInput is the kind of a decision someone records: every kind
// but override, which lpm writes itself as part of a move.
type decisionKindInput string

// Schema documents the kinds people record and, from the domain's own rule
// (lpm.DecisionFits), in which states of the epic each is taken.
func (decisionKindInput) Schema(huma.Registry) *huma.Schema {
	kinds := recordableKinds()
	when := make([]string, 0, len(kinds))
	for _, k := range kinds {
		var states []string
		for _, s := range lpm.States {
			if lpm.DecisionFits(lpm.DecisionKind(k), s) == nil {
				states = append(states, string(s))
			}
		}
		when = append(when, k+" in "+strings.Join(states, " or "))
	}
	return enumSchema("What the decision is about. Each kind is taken about an epic in certain states only ("+
		strings.Join(when, "; ")+"); another gives a 422 naming kind with rule decision_fits_state. "+
		"override is not recorded by hand: lpm records it when someone moves an epic past a full WIP limit with override_wip.", kinds...)
}

// recordableKinds are the decision kinds people record, as the domain lists them.
func recordableKinds() []string {
	kinds := make([]string, len(lpm.RecordableDecisionKinds))
	for i, k := range lpm.RecordableDecisionKinds {
		kinds[i] = string(k)
	}
	return kinds
}

// mvpOutcomeName is the result of an MVP evaluation.
type mvpOutcomeName string

// Schema documents the MVP evaluation results.
func (mvpOutcomeName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("Result of an mvp_evaluation; empty for other kinds.", "", lpm.MVPProven, lpm.MVPDisproven, lpm.MVPInconclusive)
}

// themeStatusName is where a strategic theme is in its life.
type themeStatusName string

// Schema documents the theme statuses.
func (themeStatusName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("Where the strategic theme is in its life.",
		string(lpm.ThemeDraft), string(lpm.ThemeActive), string(lpm.ThemeRetired))
}

// valueStreamKindName is development or operational.
type valueStreamKindName string

// Schema documents the value stream kinds.
func (valueStreamKindName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("development value streams build solutions and are funded by LPM; operational ones are how the business serves its customers.",
		string(lpm.Development), string(lpm.Operational))
}

// solutionKindName classifies a solution.
type solutionKindName string

// Schema documents the solution kinds.
func (solutionKindName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("What the solution is.",
		string(lpm.Product), string(lpm.Service), string(lpm.System), string(lpm.InternalApplication))
}

// enumOf is enumSchema for the values of a domain enum.
func enumOf[T ~string](doc string, values []T) *huma.Schema {
	names := make([]string, len(values))
	for i, v := range values {
		names[i] = string(v)
	}
	return enumSchema(doc, names...)
}

func enumSchema(doc string, values ...string) *huma.Schema {
	enum := make([]any, len(values))
	for i, v := range values {
		enum[i] = v
	}
	return &huma.Schema{Type: huma.TypeString, Description: doc, Enum: enum}
}

// wsjfScore is one WSJF component: 0 for not scored, or a value of the
// modified Fibonacci scale.
type wsjfScore int

// Schema documents the WSJF scale. Enum values are float64 because that is
// how huma sees JSON numbers when it validates.
func (wsjfScore) Schema(huma.Registry) *huma.Schema {
	enum := []any{float64(0)}
	for _, v := range lpm.WSJFScale {
		enum = append(enum, float64(v))
	}
	return &huma.Schema{Type: huma.TypeInteger, Format: "int32", Enum: enum,
		Description: "Relative score on the modified Fibonacci scale 1, 2, 3, 5, 8, 13, 20; 0 means not scored yet."}
}

// date is a calendar date, YYYY-MM-DD in JSON, kept as UTC midnight.
type date struct{ time.Time }

const dateLayout = "2006-01-02"

// Schema documents the date format.
func (date) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date", Description: "A calendar date, YYYY-MM-DD."}
}

// MarshalJSON writes the date as YYYY-MM-DD.
func (d date) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.UTC().Format(dateLayout) + `"`), nil
}

// UnmarshalJSON reads a YYYY-MM-DD date.
func (d *date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date must be a string YYYY-MM-DD: %w", err)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return fmt.Errorf("date must be YYYY-MM-DD: %w", err)
	}
	d.Time = t.UTC()
	return nil
}

func datePtr(t *time.Time) *date {
	if t == nil {
		return nil
	}
	return &date{*t}
}

func timePtr(d *date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time
	return &t
}

// nullableLimit is a PATCH field that may be absent (leave as is), null
// (clear) or a number (set): three states a *int cannot tell apart.
type nullableLimit struct {
	Set   bool // the field was present
	Null  bool // it was null
	Value int
}

// Schema documents the WIP limit: a number, or null for no limit.
func (nullableLimit) Schema(huma.Registry) *huma.Schema {
	lo, hi := 0.0, float64(lpm.MaxWIPLimit)
	return &huma.Schema{Type: huma.TypeInteger, Nullable: true, Minimum: &lo, Maximum: &hi,
		Description: "Most epics the column may hold; null removes the limit; absent leaves it unchanged."}
}

// UnmarshalJSON records that the field was present, and whether it was null.
func (n *nullableLimit) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Null = true
		return nil
	}
	// The decoder's own type error is returned as it is: encoding/json then
	// adds which field it is about, so the problem can name wip_limit.
	return json.Unmarshal(b, &n.Value)
}

// nullableDate is a PATCH date that may be absent (leave as is), null
// (clear) or a date (set).
type nullableDate struct {
	Set   bool
	Null  bool
	Value date
}

// Schema documents the date: YYYY-MM-DD, or null to remove it.
func (nullableDate) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{Type: huma.TypeString, Format: "date", Nullable: true,
		Description: "A calendar date, YYYY-MM-DD; null removes it; absent leaves it unchanged."}
}

// UnmarshalJSON records that the field was present, and whether it was null.
func (n *nullableDate) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Null = true
		return nil
	}
	return n.Value.UnmarshalJSON(b)
}

// update returns the date to set (nil for none) and whether to clear it.
func (n nullableDate) update() (set *time.Time, clear bool) {
	switch {
	case !n.Set:
		return nil, false
	case n.Null:
		return nil, true
	}
	t := n.Value.Time
	return &t, false
}

// nonNil returns s, or an empty slice for nil, so lists are [] in JSON.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// doneReasonInput is a done reason in a request, where empty means none.
type doneReasonInput string

// Schema documents the done reasons, and empty for moves not to done.
func (doneReasonInput) Schema(r huma.Registry) *huma.Schema {
	s := doneReasonName("").Schema(r)
	s.Enum = append([]any{""}, s.Enum...)
	s.Description = "Required for a move to done, empty otherwise. " + s.Description
	return s
}

// roleName is a role in a portfolio.
type roleName string

// Schema documents the roles from the domain's own list, each with who holds it.
func (roleName) Schema(huma.Registry) *huma.Schema {
	vs := make([]string, len(lpm.Roles))
	titles := make([]string, len(lpm.Roles))
	for i, r := range lpm.Roles {
		vs[i] = string(r)
		titles[i] = string(r) + ": " + r.Title()
	}
	return enumSchema("A role in a portfolio. "+strings.Join(titles, ". ")+".", vs...)
}

func toRoleNames(rs []lpm.Role) []roleName {
	out := make([]roleName, len(rs))
	for i, r := range rs {
		out[i] = roleName(r)
	}
	return out
}

// tokenScopeName is what an API token may do.
type tokenScopeName string

// Schema documents the token scopes.
func (tokenScopeName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("read allows only what reads (see the permission matrix); read_write allows whatever the user's roles allow.",
		string(lpm.ScopeRead), string(lpm.ScopeReadWrite))
}

// auditObjectTypeName is a kind of object the audit trail records.
type auditObjectTypeName string

// Schema documents the audited object types from the domain's list.
func (auditObjectTypeName) Schema(huma.Registry) *huma.Schema {
	return enumSchema("A kind of object the audit trail records.", lpm.AuditObjectTypes...)
}
