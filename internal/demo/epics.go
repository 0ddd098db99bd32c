package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// plannedEpic is a demo epic ready to import: the epic as it is today, its
// history and its decisions (history DecisionID is a 1-based index into
// decisions, as Store.ImportEpic expects). Themes and value streams are still
// indexes into the portfolio's.
type plannedEpic struct {
	epic            lpm.Epic
	themes, streams []int
	history         []lpm.Transition
	decisions       []lpm.Decision
	// parent is the epic this one was pivoted from, nil if none.
	parent *plannedEpic
	// art is the train that pulls (or pulled) the epic into implementation,
	// "" when its value streams have no ART; shares are the ARTs' shares
	// of its remaining work (planShares), none for most epics.
	art    string
	shares []lpm.ARTShare
	// id and key are known once the epic is imported.
	id  int64
	key string
}

// planPortfolio turns a portfolio's catalogue into epics with their past,
// oldest first so that keys follow the order ideas came in.
func planPortfolio(ps portfolioSpec, cadence lpm.PICadence, now time.Time, rng *rand.Rand) ([]*plannedEpic, error) {
	var out []*plannedEpic
	for _, s := range ps.epics {
		p, child, err := planEpic(ps, s, cadence, now, rng)
		if err != nil {
			return nil, fmt.Errorf("plan demo epic %q: %w", s.title, err)
		}
		out = append(out, p)
		if child != nil {
			out = append(out, child)
		}
	}
	slices.SortStableFunc(out, func(a, b *plannedEpic) int { return a.epic.CreatedAt.Compare(b.epic.CreatedAt) })
	return out, nil
}

// planEpic walks one epic from its creation to its current state, recording
// each move and the decisions the Kanban policies ask for at the moment they
// were taken. A pivoted epic also returns the funnel epic its pivot created.
func planEpic(ps portfolioSpec, s epicSpec, cadence lpm.PICadence, now time.Time, rng *rand.Rand) (*plannedEpic, *plannedEpic, error) {
	path := kanbanPath(s.state, s.done, rng)
	at := timeline(path, now, rng)
	e, err := lpm.NewEpic(lpm.Epic{Title: s.title, Description: s.description, Type: s.typ, EpicOwner: s.owner,
		Hypothesis: s.hyp.statement(s.title)}, at[0])
	if err != nil {
		return nil, nil, err
	}
	left := func(st lpm.State) bool { i := slices.Index(path, st); return i >= 0 && i < len(path)-1 }
	edits := int64(0)
	if s.hyp != nil {
		edits++
	}
	if slices.Contains(path, lpm.Reviewing) {
		e.WSJF = scoreWSJF(rng, s.typ)
		edits++
	}
	if left(lpm.Analyzing) {
		e.Costs = estimateCosts(rng, e.WSJF.JobSize)
		e.MVPDescription = s.mvp
		edits++
	}
	art := pullingART(ps, s.streams, rng)

	p := &plannedEpic{epic: *e, themes: s.themes, streams: s.streams}
	if art != noART {
		p.art = art
	}
	creator := s.owner
	if creator == "" {
		from := proposers(ps.keyPrefix)
		creator = from[rng.IntN(len(from))]
	}
	p.history = append(p.history, lpm.Transition{To: lpm.Funnel, Actor: creator, At: at[0]})
	for i := 1; i < len(path); i++ {
		m := move{spec: s, epic: e, from: path[i-1], to: path[i], entered: at[i-1], at: at[i], art: art, cadence: cadence, rng: rng}
		t, ds, linked := m.plan()
		if linked >= 0 {
			t.DecisionID = int64(len(p.decisions) + linked + 1)
		}
		p.decisions = append(p.decisions, ds...)
		p.history = append(p.history, t)
	}
	last := at[len(at)-1]
	p.epic.State, p.epic.DoneReason = s.state, s.done
	p.epic.StateEnteredAt, p.epic.UpdatedAt = last, last
	p.epic.Version = int64(len(p.history)) + edits
	if err := p.epic.Validate(); err != nil {
		return nil, nil, err
	}
	if s.pivot == nil {
		return p, nil, nil
	}
	child, err := lpm.NewEpic(lpm.Epic{Title: s.pivot.title, Description: s.pivot.description, Type: s.typ,
		EpicOwner: s.owner}, last)
	if err != nil {
		return nil, nil, fmt.Errorf("pivot: %w", err)
	}
	c := &plannedEpic{epic: *child, themes: s.themes, streams: s.streams, parent: p,
		history: []lpm.Transition{{To: lpm.Funnel, Actor: vmoLead, At: last}}}
	return p, c, nil
}

// move is one step of an epic's past.
type move struct {
	spec        epicSpec
	epic        *lpm.Epic
	from, to    lpm.State
	entered, at time.Time // when the epic entered from, and when it moved on
	art         string
	cadence     lpm.PICadence
	rng         *rand.Rand
}

// plan returns the history entry of the move, the decisions taken during the
// stay that led to it, and which of those (index, -1 for none) the move rests
// on, the way PlanTransition would link it.
func (m move) plan() (lpm.Transition, []lpm.Decision, int) {
	s, e := m.spec, m.epic
	t := lpm.Transition{From: m.from, To: m.to, Actor: vmoLead, At: m.at}
	if m.to == lpm.Done {
		t.DoneReason, t.Reason = s.done, s.reason
	}
	// LPM decides at the portfolio sync, just before the move it allows, and
	// always after the epic entered its state: a decision taken earlier would
	// be about an earlier stay, and the move could not rest on it.
	decide := func(kind lpm.DecisionKind, rationale string) lpm.Decision {
		at := m.at.Add(-30 * time.Minute)
		if at.Before(m.entered) {
			at = between(m.entered, m.at, 0.5)
		}
		return lpm.Decision{Kind: kind, DecidedBy: businessOwner, Rationale: rationale, DecidedAt: at}
	}
	// The epic owner evaluates the MVP some weeks before LPM decides.
	evaluate := func(outcome, evidence string) lpm.Decision {
		at := officeHours(between(m.entered, m.at, 0.6), m.rng)
		if !at.After(m.entered) || !at.Before(m.at.Add(-30*time.Minute)) {
			at = between(m.entered, m.at, 0.6)
		}
		return lpm.Decision{Kind: lpm.DecisionMVPEvaluation, Outcome: outcome, DecidedBy: s.owner, Rationale: evidence, DecidedAt: at}
	}
	wsjf, _ := e.WSJF.WSJF()
	weeks := int(m.at.Sub(m.entered) / (7 * 24 * time.Hour))
	switch {
	case m.from == lpm.Funnel && m.to == lpm.Reviewing:
		t.Reason = fmt.Sprintf("Portfolio sync: %s takes the epic on as epic owner", displayName(s.owner))
	case m.from == lpm.Reviewing && m.to == lpm.Analyzing:
		t.Reason = "Portfolio sync: worth a lean business case"
		return t, []lpm.Decision{decide(lpm.DecisionAdvanceToAnalyzing,
			fmt.Sprintf("Hypothesis complete, WSJF %.2f: worth the cost of a lean business case.", wsjf))}, 0
	case m.from == lpm.Analyzing && m.to == lpm.Reviewing:
		t.Reason = "Back to reviewing: stakeholders asked to rework the hypothesis before analysis goes on"
	case m.from == lpm.Analyzing && m.to == lpm.Ready:
		t.Reason = "LPM go at the portfolio sync"
		return t, []lpm.Decision{decide(lpm.DecisionGo,
			fmt.Sprintf("Lean business case approved: MVP %s, full estimate %s, WSJF %.2f.",
				euros(e.Costs.MVP()), euros(e.Costs.Full()), wsjf))}, 0
	case m.to == lpm.Done && (s.done == lpm.NoGo || s.done == lpm.NotPursued):
		// Not pursuing an epic after review is a no-go too, taken earlier
		// in the flow.
		return t, []lpm.Decision{decide(lpm.DecisionNoGo, s.reason)}, 0
	case m.from == lpm.Ready && m.to == lpm.ImplementingMVP:
		n, _, _ := m.cadence.PIAt(m.at)
		t.Actor = s.owner
		t.Reason = fmt.Sprintf("Pulled by the %s at PI %d planning", m.art, n)
	case m.from == lpm.ImplementingMVP && m.to == lpm.Ready:
		t.Reason = fmt.Sprintf("Paused: the %s moved to a regulatory deadline for one PI", m.art)
	case m.from == lpm.ImplementingMVP && m.to == lpm.ImplementingPersevere:
		outcome, evidence := lpm.MVPProven, fmt.Sprintf("MVP proven after %d weeks: %q met its threshold.", weeks, s.hyp.indicators[0])
		if weeks%4 == 0 {
			outcome, evidence = lpm.MVPInconclusive, fmt.Sprintf("After %d weeks %q improved but stayed below its threshold; worth continuing with a narrower scope.", weeks, s.hyp.indicators[0])
		}
		t.Reason = "MVP evaluated; LPM decided to persevere"
		return t, []lpm.Decision{
			evaluate(outcome, evidence),
			decide(lpm.DecisionPersevere, "Hypothesis supported; continue beyond the MVP while the economics hold."),
		}, 1
	case m.to == lpm.Done && s.done == lpm.StoppedAfterMVP:
		return t, []lpm.Decision{
			evaluate(lpm.MVPDisproven, s.reason),
			decide(lpm.DecisionStop, "Hypothesis disproved; stop investing and give the ART capacity back to the value stream."),
		}, 1
	case m.to == lpm.Done && s.done == lpm.Pivoted:
		return t, []lpm.Decision{
			evaluate(lpm.MVPInconclusive, s.reason),
			decide(lpm.DecisionPivot, "Keep what we learned and change course: "+s.pivot.title+"."),
		}, 1
	case m.to == lpm.Done && s.done == lpm.Completed:
		return t, []lpm.Decision{decide(lpm.DecisionComplete, s.reason)}, 0
	}
	return t, nil, -1
}

// noART stands in, in the history's reasons, for the train of an epic whose
// value streams have none.
const noART = "pulling ART"

// pullingART names an ART of the epic's first development value stream, the
// train that pulls it into implementation.
func pullingART(ps portfolioSpec, streams []int, rng *rand.Rand) string {
	for _, i := range streams {
		if arts := ps.streams[i].arts; len(arts) > 0 {
			return arts[rng.IntN(len(arts))].Name
		}
	}
	return noART
}

// scoreWSJF scores an epic on the WSJF scale: business epics score on value,
// enablers on risk reduction and opportunity enablement.
func scoreWSJF(rng *rand.Rand, typ lpm.EpicType) lpm.WSJFComponents {
	pick := func(vals ...int) int { return vals[rng.IntN(len(vals))] }
	if typ == lpm.Enabler {
		return lpm.WSJFComponents{UserBusinessValue: pick(1, 2, 3, 5), TimeCriticality: pick(2, 3, 5, 8),
			RiskReduction: pick(8, 13, 20), JobSize: pick(5, 8, 13, 20)}
	}
	return lpm.WSJFComponents{UserBusinessValue: pick(3, 5, 8, 13, 20), TimeCriticality: pick(1, 2, 3, 5, 8, 13),
		RiskReduction: pick(1, 2, 3, 5), JobSize: pick(3, 5, 8, 13, 20)}
}

// estimateCosts sizes the lean business case from the job size: the full
// epic costs about €150k per point of job size, the MVP a fifth to two
// fifths of that, and up to half is bought from suppliers.
func estimateCosts(rng *rand.Rand, jobSize int) lpm.Costs {
	round := func(v, to int64) int64 { return max((v+to/2)/to*to, to) }
	full := round(int64(jobSize)*150_000*int64(80+rng.IntN(81))/100, 10_000)
	mvp := round(full*int64(20+rng.IntN(21))/100, 5_000)
	share := int64(rng.IntN(51))
	supplier := func(v int64) int64 { return v * share / 100 / 1000 * 1000 }
	const cents = 100
	return lpm.Costs{
		MVPInternal: (mvp - supplier(mvp)) * cents, MVPSupplier: supplier(mvp) * cents,
		FullInternal: (full - supplier(full)) * cents, FullSupplier: supplier(full) * cents,
	}
}

// euros writes an amount in cents the way a portfolio sync would say it.
func euros(cents int64) string {
	e := cents / 100
	if e >= 1_000_000 {
		return fmt.Sprintf("€%.1f m", float64(e)/1e6)
	}
	return fmt.Sprintf("€%dk", e/1000)
}
