package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/lpm-project/lpm/internal/lpm"
)

// ImportEpic stores an epic with its past history and decisions as they are,
// without the Kanban rules: for demo data and imports. The store assigns the
// key from the portfolio's counter and every ID, and writes them back into e,
// history and decisions. In history, DecisionID is a 1-based index into
// decisions (0 for none) and is replaced by the stored ID. A decision's
// NewEpicID must be 0 or an existing epic of the same portfolio. An epic with
// PivotedFrom set becomes the NewEpicID of its parent's latest pivot decision
// that names no epic yet.
//
// What is checked is what the domain says a stored epic is (e.Validate, and
// lpm.NewDecision for decisions people record), that its references exist,
// and that state and done reason agree. A zero CreatedAt defaults to now,
// other zero timestamps to CreatedAt, and a zero version to 1.
//
// Importing bypasses the Kanban's rules, so only a site admin may; the
// audit trail records the epic as imported (epic.import).
func (s *Store) ImportEpic(ctx context.Context, e *lpm.Epic, history []lpm.Transition, decisions []lpm.Decision, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ProposeEpic, lpm.PortfolioTarget(e.PortfolioID), "portfolio", e.PortfolioID); err != nil {
		return err
	}
	if !actor.IsAdmin {
		return lpm.Errorf(lpm.EFORBIDDEN, "only a site admin may import epics with their history")
	}
	c := *e
	hs := slices.Clone(history)
	ds := slices.Clone(decisions)
	if err := checkImport(&c, hs, ds); err != nil {
		return err
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = lpm.Now()
	}
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	if c.StateEnteredAt.IsZero() {
		c.StateEnteredAt = c.CreatedAt
	}
	if c.Version < 1 {
		c.Version = 1
	}
	for i := range ds {
		if ds[i].DecidedAt.IsZero() {
			ds[i].DecidedAt = c.CreatedAt
		}
	}
	for i := range hs {
		if hs[i].At.IsZero() {
			hs[i].At = c.CreatedAt
		}
	}
	err := s.inTx(ctx, "import epic", func(tx *dbtx) error {
		if err := importEpic(ctx, tx, &c, hs, ds); err != nil {
			return err
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "epic.import", object: "epic", id: c.ID, chain: c.PortfolioID,
			after: c.AuditFields()})
	})
	if err != nil {
		return err
	}
	*e = c
	copy(history, hs)
	copy(decisions, ds)
	return nil
}

// checkImport validates what can be validated without the database.
func checkImport(e *lpm.Epic, history []lpm.Transition, decisions []lpm.Decision) error {
	if err := e.Validate(); err != nil {
		return err
	}
	for i, d := range decisions {
		// Overrides are written by lpm itself, so NewDecision refuses them.
		if d.Kind == lpm.DecisionOverride {
			continue
		}
		if _, err := lpm.NewDecision(d, d.DecidedAt); err != nil {
			return fmt.Errorf("decisions[%d]: %w", i, err)
		}
	}
	for i, t := range history {
		field := fmt.Sprintf("history[%d]", i)
		if !t.To.Valid() || (t.From != "" && !t.From.Valid()) {
			return invalid("epic", field, "enum", "%s moves from %q to %q, which are not Kanban states", field, t.From, t.To)
		}
		if t.DecisionID < 0 || t.DecisionID > int64(len(decisions)) {
			return invalid("epic", field+".decision_id", "range", "%s.decision_id must be 0 or a 1-based index into the %d decisions", field, len(decisions))
		}
	}
	return nil
}

func importEpic(ctx context.Context, tx *dbtx, e *lpm.Epic, history []lpm.Transition, decisions []lpm.Decision) error {
	owner, err := checkEpicRefs(ctx, tx, e)
	if err != nil {
		return err
	}
	if e.PivotedFrom != 0 {
		found, err := existingIDs(ctx, tx, `SELECT id FROM epics WHERE portfolio_id = $1 AND id IN (%s)`, e.PortfolioID, []int64{e.PivotedFrom})
		if err != nil {
			return fmt.Errorf("check pivoted_from: %w", err)
		}
		if !found[e.PivotedFrom] {
			return invalid("epic", "pivoted_from", "exists", "epic %d is not an epic of portfolio %d", e.PivotedFrom, e.PortfolioID)
		}
	}
	for i, d := range decisions {
		if d.NewEpicID == 0 {
			continue
		}
		found, err := existingIDs(ctx, tx, `SELECT id FROM epics WHERE portfolio_id = $1 AND id IN (%s)`, e.PortfolioID, []int64{d.NewEpicID})
		if err != nil {
			return fmt.Errorf("check decisions[%d].new_epic_id: %w", i, err)
		}
		if !found[d.NewEpicID] {
			return invalid("epic", fmt.Sprintf("decisions[%d].new_epic_id", i), "exists", "epic %d is not an epic of portfolio %d", d.NewEpicID, e.PortfolioID)
		}
	}
	if err := insertEpic(ctx, tx, e, owner); err != nil {
		return err
	}
	for i := range decisions {
		decisions[i].EpicID = e.ID
		if err := insertDecision(ctx, tx, &decisions[i]); err != nil {
			return err
		}
	}
	for i := range history {
		t := &history[i]
		t.EpicID = e.ID
		if t.DecisionID != 0 {
			t.DecisionID = decisions[t.DecisionID-1].ID
		}
		if err := insertTransition(ctx, tx, t); err != nil {
			return err
		}
	}
	if e.PivotedFrom != 0 {
		// The parent was imported first, so its pivot decision could not
		// name this epic yet: link the latest unlinked one, as a live pivot
		// does (createPivot).
		if _, err := tx.ExecContext(ctx, linkImportedPivotSQL, e.ID, e.PivotedFrom); err != nil {
			return fmt.Errorf("link the pivot decision of epic %d to epic %d: %w", e.PivotedFrom, e.ID, err)
		}
	}
	return nil
}

var linkImportedPivotSQL = fixed(`UPDATE decisions SET new_epic_id = $1 WHERE id = (
	SELECT id FROM decisions WHERE epic_id = $2 AND kind = 'pivot' AND new_epic_id IS NULL
	ORDER BY decided_at DESC, id DESC LIMIT 1)`)
