package demo

import "github.com/lpm-project/lpm/internal/lpm"

// epicSpec is one demo epic as written by hand: what it is, where it stands
// today and, for the states that need them, its hypothesis and MVP. WSJF,
// costs and the history that led to its state are generated (see epics.go and
// history.go), so they stay consistent with the Kanban rules.
type epicSpec struct {
	title, description string
	typ                lpm.EpicType
	state              lpm.State
	done               lpm.DoneReason
	// owner is the epic owner's user name; "" only for funnel ideas nobody
	// has taken on yet.
	owner string
	// themes and streams index the portfolio's themes and value streams.
	themes, streams []int
	// hyp is nil for ideas that never got past the funnel.
	hyp *hypothesis
	// mvp describes the MVP of epics that went through analysis.
	mvp string
	// reason says, for an epic in done, why it left the Kanban.
	reason string
	// pivot is the new funnel epic a pivoted epic gave rise to.
	pivot *epicSpec
}

// hypothesis is the epic hypothesis statement; the solution clause is the
// epic's title.
type hypothesis struct {
	forCustomers, who, isA, that, unlike, ours string
	outcomes, indicators, nfrs                 []string
}

func (h *hypothesis) statement(title string) lpm.Hypothesis {
	if h == nil {
		return lpm.Hypothesis{}
	}
	return lpm.Hypothesis{ForCustomers: h.forCustomers, Who: h.who, SolutionName: title, IsA: h.isA, That: h.that,
		Unlike: h.unlike, OurSolution: h.ours, BusinessOutcomes: h.outcomes, LeadingIndicators: h.indicators, NFRs: h.nfrs}
}

// list keeps the catalogue's string lists short to write.
func list(items ...string) []string { return items }
