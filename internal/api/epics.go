package api

import (
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Epic is the epic object of the API. It is exported only because
// transition results embed it, and huma documents exported embedded fields only.
type Epic struct {
	ID             int64          `json:"id"`
	PortfolioID    int64          `json:"portfolio_id"`
	Key            string         `json:"key" doc:"Unique within the portfolio, e.g. EP-42."`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Type           epicTypeName   `json:"type"`
	EpicOwner      string         `json:"epic_owner" doc:"User name of the epic owner; empty when none is assigned."`
	State          stateName      `json:"state"`
	DoneReason     doneReasonName `json:"done_reason,omitempty" doc:"Why the epic is done; absent until it is."`
	Hypothesis     hypothesis     `json:"hypothesis"`
	WSJFComponents wsjfComponents `json:"wsjf_components"`
	CostOfDelay    int            `json:"cost_of_delay" doc:"user_business_value + time_criticality + risk_reduction_opportunity_enablement."`
	WSJF           *float64       `json:"wsjf" doc:"cost_of_delay / job_size, two decimals; null until all four components are scored."`
	Costs          costs          `json:"costs" doc:"Cost estimates, integers in minor units of the portfolio currency."`
	MVPDescription string         `json:"mvp_description"`
	BusinessCase   businessCase   `json:"business_case" doc:"The rest of the lean business case."`
	Runway         []string       `json:"runway" doc:"The architectural runway an enabler epic builds; empty for a business epic."`
	ThemeIDs       []int64        `json:"theme_ids"`
	ValueStreamIDs []int64        `json:"value_stream_ids"`
	PivotedFrom    int64          `json:"pivoted_from_epic_id,omitempty" doc:"The epic this one was pivoted from; absent if none."`
	Version        int64          `json:"version" doc:"Counts changes to the epic."`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	StateEnteredAt time.Time      `json:"state_entered_at"`
}

// hypothesis is the epic hypothesis statement in JSON.
type hypothesis struct {
	ForCustomers      string   `json:"for_customers" doc:"For <customers>"`
	Who               string   `json:"who" doc:"who <do something>"`
	SolutionName      string   `json:"solution_name" doc:"the <solution>"`
	IsA               string   `json:"is_a" doc:"is a <something – the how>"`
	That              string   `json:"that" doc:"that <provides this value>"`
	Unlike            string   `json:"unlike" doc:"unlike <competitor, current solution>"`
	OurSolution       string   `json:"our_solution" doc:"our solution <does something better – the why>"`
	BusinessOutcomes  []string `json:"business_outcomes"`
	LeadingIndicators []string `json:"leading_indicators"`
	NFRs              []string `json:"nfrs"`
}

// wsjfComponents are the relative scores behind WSJF in JSON.
type wsjfComponents struct {
	UserBusinessValue int `json:"user_business_value"`
	TimeCriticality   int `json:"time_criticality"`
	RiskReduction     int `json:"risk_reduction_opportunity_enablement"`
	JobSize           int `json:"job_size"`
}

func toWSJFComponents(c lpm.WSJFComponents) wsjfComponents {
	return wsjfComponents{UserBusinessValue: c.UserBusinessValue, TimeCriticality: c.TimeCriticality,
		RiskReduction: c.RiskReduction, JobSize: c.JobSize}
}

// costs are the cost estimates in JSON, in minor units of the portfolio
// currency: money is never a float.
type costs struct {
	MVPInternal  int64 `json:"mvp_internal" doc:"Estimated internal cost of the MVP: an integer in minor units of the portfolio currency (cents for EUR)."`
	MVPSupplier  int64 `json:"mvp_supplier" doc:"Estimated supplier cost of the MVP, in minor units of the portfolio currency."`
	FullInternal int64 `json:"full_internal" doc:"Estimated internal cost of the whole epic, MVP included, in minor units of the portfolio currency."`
	FullSupplier int64 `json:"full_supplier" doc:"Estimated supplier cost of the whole epic, MVP included, in minor units of the portfolio currency."`
	MVPTotal     int64 `json:"mvp_total" doc:"mvp_internal + mvp_supplier."`
	FullTotal    int64 `json:"full_total" doc:"full_internal + full_supplier; includes the MVP."`
}

func toEpic(e *lpm.Epic) Epic {
	h := e.Hypothesis
	out := Epic{ID: e.ID, PortfolioID: e.PortfolioID, Key: e.Key, Title: e.Title, Description: e.Description,
		Type: epicTypeName(e.Type), EpicOwner: e.EpicOwner, State: stateName(e.State), DoneReason: doneReasonName(e.DoneReason),
		Hypothesis: hypothesis{ForCustomers: h.ForCustomers, Who: h.Who, SolutionName: h.SolutionName, IsA: h.IsA,
			That: h.That, Unlike: h.Unlike, OurSolution: h.OurSolution, BusinessOutcomes: nonNil(h.BusinessOutcomes),
			LeadingIndicators: nonNil(h.LeadingIndicators), NFRs: nonNil(h.NFRs)},
		WSJFComponents: toWSJFComponents(e.WSJF),
		CostOfDelay:    e.WSJF.CostOfDelay(),
		Costs: costs{MVPInternal: e.Costs.MVPInternal, MVPSupplier: e.Costs.MVPSupplier, FullInternal: e.Costs.FullInternal,
			FullSupplier: e.Costs.FullSupplier, MVPTotal: e.Costs.MVP(), FullTotal: e.Costs.Full()},
		MVPDescription: e.MVPDescription, ThemeIDs: nonNil(e.ThemeIDs), ValueStreamIDs: nonNil(e.ValueStreamIDs),
		BusinessCase: businessCase{Sponsors: nonNil(e.BusinessCase.Sponsors), ExpectedTimeline: e.BusinessCase.ExpectedTimeline,
			AnalysisSummary: e.BusinessCase.AnalysisSummary, ImplementationStrategy: e.BusinessCase.ImplementationStrategy},
		Runway:      nonNil(e.Runway),
		PivotedFrom: e.PivotedFrom, Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
		StateEnteredAt: e.StateEnteredAt}
	if w, ok := e.WSJF.WSJF(); ok {
		out.WSJF = &w
	}
	return out
}

// epicCreate is the body of POST /portfolios/{portfolio}/epics: an idea
// entering the funnel. Only title and type are needed.
type epicCreate struct {
	Title          string               `json:"title"`
	Type           epicTypeName         `json:"type"`
	Description    string               `json:"description,omitempty"`
	EpicOwner      string               `json:"epic_owner,omitempty" doc:"User name of the epic owner."`
	Hypothesis     *hypothesisInput     `json:"hypothesis,omitempty"`
	WSJFComponents *wsjfComponentsInput `json:"wsjf_components,omitempty"`
	Costs          *costsInput          `json:"costs,omitempty" doc:"Cost estimates in minor units of the portfolio currency; needed (with mvp_description) to enter ready."`
	MVPDescription string               `json:"mvp_description,omitempty"`
	BusinessCase   *businessCaseInput   `json:"business_case,omitempty"`
	Runway         []string             `json:"runway,omitempty" maxItems:"50" doc:"For an enabler epic: the architectural runway it builds."`
	ThemeIDs       []int64              `json:"theme_ids,omitempty" maxItems:"50" doc:"Strategic themes of the same portfolio."`
	ValueStreamIDs []int64              `json:"value_stream_ids,omitempty" maxItems:"50" doc:"Value streams of the same portfolio."`
}

// businessCase is the rest of the lean business case in JSON.
type businessCase struct {
	Sponsors               []string `json:"sponsors" doc:"Who backs the epic."`
	ExpectedTimeline       string   `json:"expected_timeline" doc:"When the MVP and the whole are expected, in words."`
	AnalysisSummary        string   `json:"analysis_summary"`
	ImplementationStrategy string   `json:"implementation_strategy" doc:"The incremental implementation strategy."`
}

// businessCaseInput sets parts of the lean business case; absent parts stay
// as they are.
type businessCaseInput struct {
	Sponsors               *[]string `json:"sponsors,omitempty" maxItems:"50"`
	ExpectedTimeline       *string   `json:"expected_timeline,omitempty"`
	AnalysisSummary        *string   `json:"analysis_summary,omitempty"`
	ImplementationStrategy *string   `json:"implementation_strategy,omitempty"`
}

func (b *businessCaseInput) update() *lpm.BusinessCaseUpdate {
	if b == nil {
		return nil
	}
	return &lpm.BusinessCaseUpdate{Sponsors: b.Sponsors, ExpectedTimeline: b.ExpectedTimeline,
		AnalysisSummary: b.AnalysisSummary, ImplementationStrategy: b.ImplementationStrategy}
}

// hypothesisInput sets clauses of the hypothesis statement; absent clauses
// stay as they are.
type hypothesisInput struct {
	ForCustomers      *string   `json:"for_customers,omitempty"`
	Who               *string   `json:"who,omitempty"`
	SolutionName      *string   `json:"solution_name,omitempty"`
	IsA               *string   `json:"is_a,omitempty"`
	That              *string   `json:"that,omitempty"`
	Unlike            *string   `json:"unlike,omitempty"`
	OurSolution       *string   `json:"our_solution,omitempty"`
	BusinessOutcomes  *[]string `json:"business_outcomes,omitempty" maxItems:"50"`
	LeadingIndicators *[]string `json:"leading_indicators,omitempty" maxItems:"50"`
	NFRs              *[]string `json:"nfrs,omitempty" maxItems:"50"`
}

func (h *hypothesisInput) update() *lpm.HypothesisUpdate {
	if h == nil {
		return nil
	}
	return &lpm.HypothesisUpdate{ForCustomers: h.ForCustomers, Who: h.Who, SolutionName: h.SolutionName, IsA: h.IsA,
		That: h.That, Unlike: h.Unlike, OurSolution: h.OurSolution, BusinessOutcomes: h.BusinessOutcomes,
		LeadingIndicators: h.LeadingIndicators, NFRs: h.NFRs}
}

// wsjfComponentsInput sets WSJF components; absent ones stay, 0 clears one.
type wsjfComponentsInput struct {
	UserBusinessValue *wsjfScore `json:"user_business_value,omitempty"`
	TimeCriticality   *wsjfScore `json:"time_criticality,omitempty"`
	RiskReduction     *wsjfScore `json:"risk_reduction_opportunity_enablement,omitempty"`
	JobSize           *wsjfScore `json:"job_size,omitempty"`
}

func (w *wsjfComponentsInput) update() *lpm.WSJFUpdate {
	if w == nil {
		return nil
	}
	conv := func(s *wsjfScore) *int {
		if s == nil {
			return nil
		}
		v := int(*s)
		return &v
	}
	return &lpm.WSJFUpdate{UserBusinessValue: conv(w.UserBusinessValue), TimeCriticality: conv(w.TimeCriticality),
		RiskReduction: conv(w.RiskReduction), JobSize: conv(w.JobSize)}
}

// costsInput sets cost estimates (minor units); absent ones stay. The
// maximum is lpm.MaxCost (a test holds them equal).
type costsInput struct {
	MVPInternal  *int64 `json:"mvp_internal,omitempty" minimum:"0" maximum:"100000000000000" doc:"Internal cost of the MVP: a whole number in minor units of the portfolio currency (cents for EUR), at most 100000000000000."`
	MVPSupplier  *int64 `json:"mvp_supplier,omitempty" minimum:"0" maximum:"100000000000000" doc:"Supplier cost of the MVP: a whole number in minor units of the portfolio currency, at most 100000000000000."`
	FullInternal *int64 `json:"full_internal,omitempty" minimum:"0" maximum:"100000000000000" doc:"Internal cost of the whole epic, MVP included: a whole number in minor units of the portfolio currency, at most 100000000000000."`
	FullSupplier *int64 `json:"full_supplier,omitempty" minimum:"0" maximum:"100000000000000" doc:"Supplier cost of the whole epic, MVP included: a whole number in minor units of the portfolio currency, at most 100000000000000."`
}

func (c *costsInput) update() *lpm.CostsUpdate {
	if c == nil {
		return nil
	}
	return &lpm.CostsUpdate{MVPInternal: c.MVPInternal, MVPSupplier: c.MVPSupplier, FullInternal: c.FullInternal, FullSupplier: c.FullSupplier}
}

// epicPatch is the body of PATCH /epics/{epic}: every field optional, nested
// fields individually. The state changes only through transitions.
type epicPatch struct {
	Title          *string              `json:"title,omitempty"`
	Description    *string              `json:"description,omitempty"`
	Type           *epicTypeName        `json:"type,omitempty"`
	EpicOwner      *string              `json:"epic_owner,omitempty" doc:"User name of the epic owner; empty removes the owner (only in funnel and done)."`
	Hypothesis     *hypothesisInput     `json:"hypothesis,omitempty"`
	WSJFComponents *wsjfComponentsInput `json:"wsjf_components,omitempty" doc:"An epic in analyzing or beyond must keep all four components scored."`
	Costs          *costsInput          `json:"costs,omitempty" doc:"Cost estimates in minor units of the portfolio currency; an epic in ready or beyond must keep an MVP and a full estimate."`
	MVPDescription *string              `json:"mvp_description,omitempty"`
	BusinessCase   *businessCaseInput   `json:"business_case,omitempty"`
	Runway         *[]string            `json:"runway,omitempty" maxItems:"50" doc:"Only an enabler epic builds runway."`
	ThemeIDs       *[]int64             `json:"theme_ids,omitempty" maxItems:"50"`
	ValueStreamIDs *[]int64             `json:"value_stream_ids,omitempty" maxItems:"50"`
}

func (p *epicPatch) update() lpm.EpicUpdate {
	u := lpm.EpicUpdate{Title: p.Title, Description: p.Description, EpicOwner: p.EpicOwner,
		Hypothesis: p.Hypothesis.update(), WSJF: p.WSJFComponents.update(), Costs: p.Costs.update(),
		MVPDescription: p.MVPDescription, BusinessCase: p.BusinessCase.update(), Runway: p.Runway,
		ThemeIDs: p.ThemeIDs, ValueStreamIDs: p.ValueStreamIDs}
	if p.Type != nil {
		t := lpm.EpicType(*p.Type)
		u.Type = &t
	}
	return u
}

// newEpic builds the domain epic a create request proposes; NewEpic puts it
// in the funnel and validates it.
func (c *epicCreate) newEpic(portfolioID int64, now time.Time) (*lpm.Epic, error) {
	e := lpm.Epic{PortfolioID: portfolioID, Title: c.Title, Type: lpm.EpicType(c.Type), Description: c.Description,
		EpicOwner: c.EpicOwner, MVPDescription: c.MVPDescription, Runway: c.Runway, ThemeIDs: c.ThemeIDs, ValueStreamIDs: c.ValueStreamIDs}
	if b := c.BusinessCase; b != nil {
		e.BusinessCase = lpm.BusinessCase{Sponsors: val(b.Sponsors), ExpectedTimeline: val(b.ExpectedTimeline),
			AnalysisSummary: val(b.AnalysisSummary), ImplementationStrategy: val(b.ImplementationStrategy)}
	}
	if h := c.Hypothesis; h != nil {
		e.Hypothesis = lpm.Hypothesis{ForCustomers: val(h.ForCustomers), Who: val(h.Who), SolutionName: val(h.SolutionName),
			IsA: val(h.IsA), That: val(h.That), Unlike: val(h.Unlike), OurSolution: val(h.OurSolution),
			BusinessOutcomes: val(h.BusinessOutcomes), LeadingIndicators: val(h.LeadingIndicators), NFRs: val(h.NFRs)}
	}
	if w := c.WSJFComponents; w != nil {
		e.WSJF = lpm.WSJFComponents{UserBusinessValue: int(val(w.UserBusinessValue)), TimeCriticality: int(val(w.TimeCriticality)),
			RiskReduction: int(val(w.RiskReduction)), JobSize: int(val(w.JobSize))}
	}
	if k := c.Costs; k != nil {
		e.Costs = lpm.Costs{MVPInternal: val(k.MVPInternal), MVPSupplier: val(k.MVPSupplier),
			FullInternal: val(k.FullInternal), FullSupplier: val(k.FullSupplier)}
	}
	return lpm.NewEpic(e, now)
}

// val returns *p, or the zero value for nil.
func val[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
