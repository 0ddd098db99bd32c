package lpm

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewEpicStartsInFunnel(t *testing.T) {
	e, err := NewEpic(Epic{Title: "Open banking APIs", Type: Enabler, State: Done, DoneReason: Completed,
		ThemeIDs: []int64{3, 1, 3}}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if e.State != Funnel || e.DoneReason != "" || !e.CreatedAt.Equal(t0) || !e.StateEnteredAt.Equal(t0) || e.Version != 1 {
		t.Errorf("new epic = %+v", e)
	}
	if diff := cmp.Diff([]int64{3, 1}, e.ThemeIDs); diff != "" {
		t.Errorf("theme ids not deduplicated: %s", diff)
	}
}

func TestEpicValidation(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(e *Epic)
		field []string
	}{
		{"valid", func(e *Epic) {}, nil},
		{"no title", func(e *Epic) { e.Title = "  " }, []string{"title"}},
		{"long title", func(e *Epic) { e.Title = strings.Repeat("é", MaxNameLen+1) }, []string{"title"}},
		{"no type", func(e *Epic) { e.Type = "" }, []string{"type"}},
		{"bad type", func(e *Epic) { e.Type = "project" }, []string{"type"}},
		{"negative cost", func(e *Epic) { e.Costs.MVPSupplier = -1 }, []string{"costs.mvp_supplier"}},
		{"huge cost", func(e *Epic) { e.Costs.FullInternal = MaxCost + 1 }, []string{"costs.full_internal"}},
		{"empty outcome", func(e *Epic) { e.Hypothesis.BusinessOutcomes = []string{"ok", ""} }, []string{"hypothesis.business_outcomes"}},
		{"too many NFRs", func(e *Epic) { e.Hypothesis.NFRs = make([]string, MaxListLen+1) }, []string{"hypothesis.nfrs"}},
		{"long clause", func(e *Epic) { e.Hypothesis.Unlike = strings.Repeat("x", MaxItemLen+1) }, []string{"hypothesis.unlike"}},
		{"several at once", func(e *Epic) { e.Title = ""; e.WSJF.JobSize = 7 }, []string{"title", "wsjf_components.job_size"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEpic()
			tt.edit(e)
			err := e.Validate()
			if diff := cmp.Diff(tt.field, violationFields(err)); diff != "" {
				t.Errorf("violations (-want +got):\n%s", diff)
			}
			if err != nil && ErrorCodeOf(err) != EINVALID {
				t.Errorf("code = %s, want invalid", ErrorCodeOf(err))
			}
		})
	}
}

func TestEpicUpdate(t *testing.T) {
	e := validEpic()
	e.Version = 3
	title, outcomes, ubv, supplier := "Instant payments for businesses", []string{"SME churn −5 %"}, 13, int64(0)
	later := t0.Add(time.Hour)
	upd := EpicUpdate{Title: &title, Hypothesis: &HypothesisUpdate{BusinessOutcomes: &outcomes},
		WSJF: &WSJFUpdate{UserBusinessValue: &ubv}, Costs: &CostsUpdate{MVPSupplier: &supplier}}
	if err := upd.Apply(e, later); err != nil {
		t.Fatal(err)
	}
	if e.Title != title || e.Hypothesis.BusinessOutcomes[0] != outcomes[0] || e.Hypothesis.Who != "pay friends" ||
		e.WSJF != (WSJFComponents{13, 5, 3, 5}) || e.Costs.MVPSupplier != 0 || e.Costs.MVPInternal != 100_000_00 {
		t.Errorf("after update: %+v", e)
	}
	if e.Version != 4 || !e.UpdatedAt.Equal(later) {
		t.Errorf("version %d updated %v", e.Version, e.UpdatedAt)
	}
	w, _ := e.WSJF.WSJF()
	if w != 4.2 { // (13+5+3)/5
		t.Errorf("wsjf = %v, want 4.2", w)
	}

	// A form opened at version 3 may not overwrite version 4.
	stale, again := EpicUpdate{Title: &title, IfVersion: 3}, "again"
	if err := stale.Apply(e, later); ErrorCodeOf(err) != ECONFLICT || e.Version != 4 {
		t.Errorf("update of version 3 applied to version 4: %v (version now %d)", err, e.Version)
	}
	current := EpicUpdate{Title: &again, IfVersion: 4}
	if err := current.Apply(e, later); err != nil || e.Title != again || e.Version != 5 {
		t.Errorf("update of the current version: %v, title %q version %d", err, e.Title, e.Version)
	}

	bad, newTitle := 4, "changed"
	before := *e
	if err := (EpicUpdate{Title: &newTitle, WSJF: &WSJFUpdate{JobSize: &bad}}).Apply(e, later); ErrorCodeOf(err) != EINVALID {
		t.Fatalf("bad job size accepted: %v", err)
	}
	if diff := cmp.Diff(before, *e); diff != "" {
		t.Errorf("a refused update changed the epic (-before +after):\n%s", diff)
	}

	e.State = Analyzing
	none := ""
	err := (EpicUpdate{EpicOwner: &none}).Apply(e, later)
	if diff := cmp.Diff([]string{"epic_owner"}, violationFields(err)); diff != "" {
		t.Errorf("removing the owner of an analyzing epic: %v %s", err, diff)
	}
}

func TestCanDelete(t *testing.T) {
	if err := inState(Funnel).CanDelete(1, 0); err != nil {
		t.Errorf("fresh funnel epic: %v", err)
	}
	if err := inState(Funnel).CanDelete(3, 0); ErrorCodeOf(err) != ECONFLICT {
		t.Errorf("funnel epic that was in reviewing: got %v, want conflict", err)
	}
	if err := inState(Funnel).CanDelete(1, 1); ErrorCodeOf(err) != ECONFLICT {
		t.Errorf("funnel epic with a decision: got %v, want conflict", err)
	}
	for _, s := range States[1:] {
		if err := inState(s).CanDelete(1, 0); ErrorCodeOf(err) != ECONFLICT {
			t.Errorf("%s epic: got %v, want conflict", s, err)
		}
	}
}

// An edit may not take away what let the epic where it is.
func TestEpicUpdateKeepsEntryPolicies(t *testing.T) {
	zero, empty := 0, ""
	none := []int64{}
	tests := []struct {
		state  State
		upd    EpicUpdate
		fields []string
	}{
		{Funnel, EpicUpdate{EpicOwner: &empty, WSJF: &WSJFUpdate{JobSize: &zero}}, nil},
		{Reviewing, EpicUpdate{WSJF: &WSJFUpdate{JobSize: &zero}, MVPDescription: &empty}, nil},
		{Reviewing, EpicUpdate{EpicOwner: &empty}, []string{"epic_owner"}},
		{Analyzing, EpicUpdate{WSJF: &WSJFUpdate{JobSize: &zero}}, []string{"wsjf_components"}},
		{Analyzing, EpicUpdate{Hypothesis: &HypothesisUpdate{Unlike: &empty}, MVPDescription: &empty}, []string{"hypothesis.unlike"}},
		{Ready, EpicUpdate{MVPDescription: &empty, Costs: &CostsUpdate{MVPInternal: &zero64, MVPSupplier: &zero64}},
			[]string{"mvp_description", "costs.mvp"}},
		{Ready, EpicUpdate{ValueStreamIDs: &none}, nil},
		{ImplementingMVP, EpicUpdate{ValueStreamIDs: &none}, []string{"value_stream_ids"}},
		{ImplementingPersevere, EpicUpdate{WSJF: &WSJFUpdate{UserBusinessValue: &zero}}, []string{"wsjf_components"}},
		{Done, EpicUpdate{EpicOwner: &empty, ValueStreamIDs: &none, WSJF: &WSJFUpdate{JobSize: &zero}}, nil},
	}
	for _, tt := range tests {
		e := inState(tt.state)
		before := *e
		err := tt.upd.Apply(e, t0.Add(time.Hour))
		if diff := cmp.Diff(tt.fields, violationFields(err)); diff != "" {
			t.Errorf("%s: violations (-want +got):\n%s", tt.state, diff)
		}
		if err != nil && !cmp.Equal(before, *e) {
			t.Errorf("%s: a refused update changed the epic", tt.state)
		}
	}
}

var zero64 int64

func TestColumnUpdate(t *testing.T) {
	five, neg, warn, bogus, no := 5, -1, Warn, Enforcement("shout"), false
	tests := []struct {
		name   string
		state  State
		upd    ColumnUpdate
		want   func(c Column) bool
		fields []string
	}{
		{"set limit", Reviewing, ColumnUpdate{WIPLimit: &five}, func(c Column) bool { return *c.WIPLimit == 5 }, nil},
		{"clear limit", Reviewing, ColumnUpdate{ClearWIPLimit: true}, func(c Column) bool { return c.WIPLimit == nil }, nil},
		{"warn", Ready, ColumnUpdate{Enforcement: &warn}, func(c Column) bool { return c.Enforcement == Warn }, nil},
		{"disable backward", Analyzing, ColumnUpdate{AllowBackward: &no}, func(c Column) bool { return !c.AllowBackward }, nil},
		{"limit on funnel", Funnel, ColumnUpdate{WIPLimit: &five}, nil, []string{"wip_limit"}},
		{"limit on done", Done, ColumnUpdate{WIPLimit: &five}, nil, []string{"wip_limit"}},
		{"negative limit", Reviewing, ColumnUpdate{WIPLimit: &neg}, nil, []string{"wip_limit"}},
		{"set and clear", Reviewing, ColumnUpdate{WIPLimit: &five, ClearWIPLimit: true}, nil, []string{"wip_limit"}},
		{"bad enforcement", Reviewing, ColumnUpdate{Enforcement: &bogus}, nil, []string{"enforcement"}},
		{"no backward move from ready", Ready, ColumnUpdate{AllowBackward: &no}, nil, []string{"allow_backward"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := columnFor(tt.state)
			err := tt.upd.Apply(&c)
			if diff := cmp.Diff(tt.fields, violationFields(err)); diff != "" {
				t.Fatalf("violations (-want +got):\n%s", diff)
			}
			if tt.want != nil && !tt.want(c) {
				t.Errorf("column after update: %+v", c)
			}
			if err != nil && !cmp.Equal(c, columnFor(tt.state)) {
				t.Errorf("a refused update changed the column: %+v", c)
			}
		})
	}
}

func TestDecisionValidation(t *testing.T) {
	tests := []struct {
		name   string
		d      Decision
		fields []string
	}{
		{"go", Decision{Kind: DecisionGo, Rationale: "fits the budget"}, nil},
		{"evaluation", Decision{Kind: DecisionMVPEvaluation, Outcome: MVPProven, Rationale: "30 % fewer calls"}, nil},
		{"evaluation without result", Decision{Kind: DecisionMVPEvaluation, Rationale: "x"}, []string{"outcome"}},
		{"outcome on a go", Decision{Kind: DecisionGo, Outcome: MVPProven, Rationale: "x"}, []string{"outcome"}},
		{"override by hand", Decision{Kind: DecisionOverride, Rationale: "x"}, []string{"kind"}},
		{"no rationale", Decision{Kind: DecisionStop}, []string{"rationale"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDecision(tt.d, t0)
			if diff := cmp.Diff(tt.fields, violationFields(err)); diff != "" {
				t.Fatalf("violations (-want +got):\n%s", diff)
			}
			if err == nil && !d.DecidedAt.Equal(t0) {
				t.Errorf("decided at %v", d.DecidedAt)
			}
		})
	}
}

func TestPortfolioValidation(t *testing.T) {
	p := &Portfolio{Name: "Digital Banking"}
	p.WithDefaults(t0)
	if err := p.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	if p.Currency != "EUR" || p.KeyPrefix != "EP" || p.PICadence.LengthWeeks != DefaultPIWeeks ||
		!p.PICadence.Start.Equal(time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("defaults: %+v", p)
	}
	bad := &Portfolio{Name: "", Currency: "euro", KeyPrefix: "ep", PICadence: PICadence{LengthWeeks: 30}}
	want := []string{"name", "currency", "key_prefix", "pi_cadence.start", "pi_cadence.length_weeks"}
	if diff := cmp.Diff(want, violationFields(bad.Validate())); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}

func TestPIAt(t *testing.T) {
	c := PICadence{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), LengthWeeks: 10}
	tests := []struct {
		at        time.Time
		n         int
		startDays int // days after cadence start
	}{
		{c.Start, 1, 0},
		{c.Start.Add(69*24*time.Hour + 23*time.Hour), 1, 0}, // last hour of PI 1
		{c.Start.Add(70 * 24 * time.Hour), 2, 70},
		{c.Start.Add(-time.Hour), 0, -70},
		{c.Start.Add(-70 * 24 * time.Hour), 0, -70},
	}
	for _, tt := range tests {
		n, start, end := c.PIAt(tt.at)
		wantStart := c.Start.Add(time.Duration(tt.startDays) * 24 * time.Hour)
		if n != tt.n || !start.Equal(wantStart) || !end.Equal(wantStart.Add(70*24*time.Hour)) {
			t.Errorf("PIAt(%v) = %d, %v, %v; want %d, %v", tt.at, n, start, end, tt.n, wantStart)
		}
	}
}

func TestValueStreamValidation(t *testing.T) {
	ok := &ValueStream{Name: "Retail payments", Kind: Development, ARTs: []ART{{Name: "Payments ART", Headcount: 110}},
		Solutions: []Solution{{Name: "Mobile app", Kind: Product}}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := &ValueStream{Name: "Branch service", Kind: Operational, ARTs: []ART{{Name: "x"}}, Solutions: []Solution{{Name: "", Kind: "gadget"}}}
	want := []string{"arts", "solutions", "solutions[0].name", "solutions[0].kind"}
	if diff := cmp.Diff(want, violationFields(bad.Validate())); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}

func TestTokenHash(t *testing.T) {
	a, err := NewTokenSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewTokenSecret()
	if a == b || !strings.HasPrefix(a, "lpm_") || len(a) != 4+32 {
		t.Errorf("secrets %q %q", a, b)
	}
	again := HashToken(a)
	if HashToken(a) == HashToken(b) || HashToken(a) != again || strings.Contains(HashToken(a), a) {
		t.Error("hash is not a stable one-way function of the secret")
	}
}

func TestEpicStateAndDoneReasonAgree(t *testing.T) {
	tests := []struct {
		state  State
		reason DoneReason
		fields []string
	}{
		{Done, Pivoted, nil},
		{Ready, "", nil},
		{Done, "", []string{"done_reason"}},
		{Ready, Cancelled, []string{"done_reason"}},
		{Done, "finished", []string{"done_reason"}},
		{"limbo", "", []string{"state"}},
	}
	for _, tt := range tests {
		e := validEpic()
		e.State, e.DoneReason = tt.state, tt.reason
		if diff := cmp.Diff(tt.fields, violationFields(e.Validate())); diff != "" {
			t.Errorf("%s/%q (-want +got):\n%s", tt.state, tt.reason, diff)
		}
	}
	f := EpicFilter{States: []State{Ready, "limbo"}, Type: "project", Text: "a\x00"}
	if diff := cmp.Diff([]string{"states", "type", "q"}, violationFields(f.Validate())); diff != "" {
		t.Errorf("filter (-want +got):\n%s", diff)
	}
}
