package lpm

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// EpicType tells business epics (deliver value directly) from enabler epics
// (extend the architectural runway).
type EpicType string

// Epic types.
const (
	Business EpicType = "business"
	Enabler  EpicType = "enabler"
)

// Valid reports whether t is an epic type.
func (t EpicType) Valid() bool { return t == Business || t == Enabler }

// Epic is a significant solution-development initiative flowing through the
// portfolio Kanban.
type Epic struct {
	ID          int64
	PortfolioID int64
	// Key is unique within the portfolio, e.g. EP-42.
	Key         string
	Title       string
	Description string
	Type        EpicType
	// EpicOwner is the user name of the epic owner, "" when none is assigned.
	EpicOwner  string
	State      State
	DoneReason DoneReason
	Hypothesis Hypothesis
	WSJF       WSJFComponents
	Costs      Costs
	// MVPDescription is the lean business case's description of the MVP.
	MVPDescription string
	// BusinessCase holds the rest of the lean business case.
	BusinessCase BusinessCase
	// Runway lists the architectural runway an enabler epic builds; a
	// business epic has none.
	Runway         []string
	ThemeIDs       []int64
	ValueStreamIDs []int64
	// PivotedFrom is the epic this one was pivoted from, 0 if none.
	PivotedFrom int64
	// Version counts changes, for optimistic concurrency and caching.
	Version        int64
	CreatedAt      time.Time
	UpdatedAt      time.Time
	StateEnteredAt time.Time
	// ImplementationStartedAt is when the epic first entered implementation
	// (its first move into implementing_mvp), for the roadmap, which starts
	// an epic in implementing_persevere there and not at its move into
	// persevere. Only Store.RoadmapEpics fills it, for epics in
	// implementation; zero elsewhere and when the history has no such move.
	ImplementationStartedAt time.Time
}

// Hypothesis is the epic hypothesis statement.
type Hypothesis struct {
	ForCustomers      string // For <customers>
	Who               string // who <do something>
	SolutionName      string // the <solution>
	IsA               string // is a <something – the how>
	That              string // that <provides this value>
	Unlike            string // unlike <competitor, current solution>
	OurSolution       string // our solution <does something better – the why>
	BusinessOutcomes  []string
	LeadingIndicators []string
	NFRs              []string
}

// clause is one elevator-pitch clause of the hypothesis, named as in JSON.
type clause struct{ field, v string }

// clauses returns the seven elevator-pitch clauses in template order.
func (h Hypothesis) clauses() []clause {
	return []clause{
		{"for_customers", h.ForCustomers}, {"who", h.Who}, {"solution_name", h.SolutionName},
		{"is_a", h.IsA}, {"that", h.That}, {"unlike", h.Unlike}, {"our_solution", h.OurSolution},
	}
}

// Missing lists what the hypothesis statement still lacks to be complete: the
// seven elevator-pitch clauses, at least one business outcome and one leading
// indicator.
func (h Hypothesis) Missing() []Violation {
	var vs violations
	for _, c := range h.clauses() {
		if strings.TrimSpace(c.v) == "" {
			vs.add("hypothesis."+c.field, "hypothesis_complete", "the hypothesis statement needs its %q clause", c.field)
		}
	}
	if len(h.BusinessOutcomes) == 0 {
		vs.add("hypothesis.business_outcomes", "hypothesis_complete", "the hypothesis statement needs at least one business outcome")
	}
	if len(h.LeadingIndicators) == 0 {
		vs.add("hypothesis.leading_indicators", "hypothesis_complete", "the hypothesis statement needs at least one leading indicator")
	}
	return vs
}

// Costs are the epic's cost estimates in minor units of the portfolio currency.
type Costs struct {
	MVPInternal  int64
	MVPSupplier  int64
	FullInternal int64
	FullSupplier int64
}

// MVP is the estimated cost of the MVP.
func (c Costs) MVP() int64 { return c.MVPInternal + c.MVPSupplier }

// Full is the estimated cost of the whole epic (MVP included).
func (c Costs) Full() int64 { return c.FullInternal + c.FullSupplier }

// MaxCost bounds any single cost figure: a trillion in major units with two
// decimals is far beyond any portfolio and far from int64 overflow.
const MaxCost = 100_000_000_000_000

// Validate checks an epic's own fields (not its references to other objects,
// which the store checks).
func (e *Epic) Validate() error {
	var vs violations
	vs.checkName("title", e.Title)
	vs.checkText("description", e.Description, MaxTextLen)
	switch {
	case e.Type == "":
		vs.add("type", "required", "type is required: business or enabler")
	case !e.Type.Valid():
		vs.add("type", "enum", "type must be business or enabler, got %q", e.Type)
	}
	switch {
	case !e.State.Valid():
		vs.add("state", "enum", "state must be one of %s, got %q", joinStates(States), e.State)
	case (e.State == Done) != (e.DoneReason != ""):
		vs.add("done_reason", "done_reason", "an epic in done needs a done reason and any other epic none; got %q in %s", e.DoneReason, e.State)
	case e.DoneReason != "" && !slices.ContainsFunc(States, func(s State) bool { return slices.Contains(doneMoves[s], e.DoneReason) }):
		vs.add("done_reason", "enum", "%q is not a done reason", e.DoneReason)
	}
	h := e.Hypothesis
	for _, c := range h.clauses() {
		vs.checkText("hypothesis."+c.field, c.v, MaxItemLen)
	}
	vs.checkList("hypothesis.business_outcomes", h.BusinessOutcomes)
	vs.checkList("hypothesis.leading_indicators", h.LeadingIndicators)
	vs.checkList("hypothesis.nfrs", h.NFRs)
	vs.checkWSJF(e.WSJF)
	for _, c := range []struct {
		field string
		v     int64
	}{
		{"costs.mvp_internal", e.Costs.MVPInternal}, {"costs.mvp_supplier", e.Costs.MVPSupplier},
		{"costs.full_internal", e.Costs.FullInternal}, {"costs.full_supplier", e.Costs.FullSupplier},
	} {
		if c.v < 0 || c.v > MaxCost {
			vs.add(c.field, "range", "%s must be between 0 and %d (minor units)", c.field, int64(MaxCost))
		}
	}
	vs.checkText("mvp_description", e.MVPDescription, MaxTextLen)
	b := e.BusinessCase
	vs.checkList("business_case.sponsors", b.Sponsors)
	vs.checkText("business_case.expected_timeline", b.ExpectedTimeline, MaxTextLen)
	vs.checkText("business_case.analysis_summary", b.AnalysisSummary, MaxTextLen)
	vs.checkText("business_case.implementation_strategy", b.ImplementationStrategy, MaxTextLen)
	vs.checkList("runway", e.Runway)
	if len(e.Runway) > 0 && e.Type != Enabler {
		vs.add("runway", "enabler_only", "only an enabler epic builds architectural runway; make it an enabler or leave runway empty")
	}
	if len(e.ThemeIDs) > MaxListLen {
		vs.add("theme_ids", "max_items", "theme_ids may hold at most %d items", MaxListLen)
	}
	if len(e.ValueStreamIDs) > MaxListLen {
		vs.add("value_stream_ids", "max_items", "value_stream_ids may hold at most %d items", MaxListLen)
	}
	return vs.err(EINVALID, "invalid epic")
}

// NewEpic prepares an epic proposed by someone: it starts in the funnel now.
// The store assigns ID and Key.
func NewEpic(e Epic, now time.Time) (*Epic, error) {
	e.State = Funnel
	e.DoneReason = ""
	e.CreatedAt, e.UpdatedAt, e.StateEnteredAt = now, now, now
	e.Version = 1
	e.ThemeIDs = dedupe(e.ThemeIDs)
	e.ValueStreamIDs = dedupe(e.ValueStreamIDs)
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

// Summary returns the card the board shows for the epic.
func (e *Epic) Summary() EpicSummary {
	w, ok := e.WSJF.WSJF()
	s := EpicSummary{ID: e.ID, Key: e.Key, Title: e.Title, Type: e.Type, State: e.State,
		EpicOwner: e.EpicOwner, StateEnteredAt: e.StateEnteredAt, CreatedAt: e.CreatedAt}
	if ok {
		s.WSJF = &w
	}
	return s
}

// EpicSummary is the short form of an epic shown on a Kanban card.
type EpicSummary struct {
	ID             int64
	Key            string
	Title          string
	Type           EpicType
	State          State
	EpicOwner      string
	WSJF           *float64
	StateEnteredAt time.Time
	CreatedAt      time.Time
}

// BusinessCase is the lean business case beyond what other fields hold (the
// hypothesis statement with its outcomes and leading indicators, the costs,
// the MVP description; the go/no-go is a decision).
type BusinessCase struct {
	// Sponsors are the people who back the epic (names as people write them).
	Sponsors []string
	// ExpectedTimeline is when the MVP and the whole are expected, in words
	// ("MVP in PI 8, the rest over PIs 9 to 12").
	ExpectedTimeline string
	// AnalysisSummary sums up what the analysis found.
	AnalysisSummary string
	// ImplementationStrategy is the incremental implementation strategy.
	ImplementationStrategy string
}

// BusinessCaseUpdate changes parts of the lean business case.
type BusinessCaseUpdate struct {
	Sponsors                                                  *[]string
	ExpectedTimeline, AnalysisSummary, ImplementationStrategy *string
}

// EpicUpdate holds the fields a PATCH may change; nil means unchanged. State
// is not here: it changes only through transitions.
type EpicUpdate struct {
	Title          *string
	Description    *string
	Type           *EpicType
	EpicOwner      *string // "" removes the owner
	Hypothesis     *HypothesisUpdate
	WSJF           *WSJFUpdate
	Costs          *CostsUpdate
	MVPDescription *string
	BusinessCase   *BusinessCaseUpdate
	Runway         *[]string
	ThemeIDs       *[]int64
	ValueStreamIDs *[]int64
	// IfVersion, when not 0, applies the update only to that version of
	// the epic: a form opened before someone else saved cannot overwrite
	// their change unseen.
	IfVersion int64
}

// HypothesisUpdate changes clauses of the hypothesis statement individually.
type HypothesisUpdate struct {
	ForCustomers, Who, SolutionName, IsA, That, Unlike, OurSolution *string
	BusinessOutcomes, LeadingIndicators, NFRs                       *[]string
}

// WSJFUpdate changes WSJF components individually; 0 clears one.
type WSJFUpdate struct {
	UserBusinessValue, TimeCriticality, RiskReduction, JobSize *int
}

// CostsUpdate changes cost estimates individually.
type CostsUpdate struct {
	MVPInternal, MVPSupplier, FullInternal, FullSupplier *int64
}

// Apply copies the set fields of u onto e, bumps its version and validates
// the result. When the result is invalid, e is left as it was.
func (u EpicUpdate) Apply(orig *Epic, now time.Time) error {
	if u.IfVersion != 0 && u.IfVersion != orig.Version {
		return Errorf(ECONFLICT, "epic %s was changed by someone else since you opened it (your copy is version %d, it is now at version %d); "+
			"reload it, then make your change again", orig.Key, u.IfVersion, orig.Version)
	}
	e := new(Epic)
	*e = *orig
	set(&e.Title, u.Title)
	set(&e.Description, u.Description)
	set(&e.Type, u.Type)
	set(&e.EpicOwner, u.EpicOwner)
	set(&e.MVPDescription, u.MVPDescription)
	set(&e.Runway, u.Runway)
	if b := u.BusinessCase; b != nil {
		set(&e.BusinessCase.Sponsors, b.Sponsors)
		set(&e.BusinessCase.ExpectedTimeline, b.ExpectedTimeline)
		set(&e.BusinessCase.AnalysisSummary, b.AnalysisSummary)
		set(&e.BusinessCase.ImplementationStrategy, b.ImplementationStrategy)
	}
	if h := u.Hypothesis; h != nil {
		hp := &e.Hypothesis
		set(&hp.ForCustomers, h.ForCustomers)
		set(&hp.Who, h.Who)
		set(&hp.SolutionName, h.SolutionName)
		set(&hp.IsA, h.IsA)
		set(&hp.That, h.That)
		set(&hp.Unlike, h.Unlike)
		set(&hp.OurSolution, h.OurSolution)
		set(&hp.BusinessOutcomes, h.BusinessOutcomes)
		set(&hp.LeadingIndicators, h.LeadingIndicators)
		set(&hp.NFRs, h.NFRs)
	}
	if w := u.WSJF; w != nil {
		set(&e.WSJF.UserBusinessValue, w.UserBusinessValue)
		set(&e.WSJF.TimeCriticality, w.TimeCriticality)
		set(&e.WSJF.RiskReduction, w.RiskReduction)
		set(&e.WSJF.JobSize, w.JobSize)
	}
	if c := u.Costs; c != nil {
		set(&e.Costs.MVPInternal, c.MVPInternal)
		set(&e.Costs.MVPSupplier, c.MVPSupplier)
		set(&e.Costs.FullInternal, c.FullInternal)
		set(&e.Costs.FullSupplier, c.FullSupplier)
	}
	if u.ThemeIDs != nil {
		e.ThemeIDs = dedupe(*u.ThemeIDs)
	}
	if u.ValueStreamIDs != nil {
		e.ValueStreamIDs = dedupe(*u.ValueStreamIDs)
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if vs := fieldPolicies(e, e.State); len(vs) > 0 {
		// An edit may not take away what the Kanban policies required for
		// the epic to be where it is.
		return &Error{Code: EINVALID, Violations: vs,
			Message: fmt.Sprintf("epic %s is in %s and must keep what its Kanban policies require", e.Key, e.State)}
	}
	e.UpdatedAt = now
	e.Version++
	*orig = *e
	return nil
}

// CanDelete says whether the epic may be deleted, given how many history
// entries and decisions it has. Only an epic that never left the funnel and
// has no decisions may go (a proposal entered by mistake): anything else has
// history the flow metrics and the record need, which is never rewritten, so
// it leaves the board through done instead.
func (e *Epic) CanDelete(historyEntries, decisions int) error {
	switch {
	case e.State != Funnel:
		return Errorf(ECONFLICT, "epic %s is in %s; only funnel epics can be deleted, move it to done instead", e.Key, e.State)
	case historyEntries > 1 || decisions > 0:
		return Errorf(ECONFLICT, "epic %s has left the funnel before or has decisions, and its history is kept; move it to done (declined) instead", e.Key)
	}
	return nil
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func dedupe(ids []int64) []int64 {
	if ids == nil {
		return nil
	}
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
