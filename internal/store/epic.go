package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// epicColumns selects a whole epic from "epics e". The owner's name and the
// linked theme and value stream ids come from subqueries, so one row is one
// epic, a list needs no extra round trips, and PostgreSQL can lock the row
// with a plain FOR UPDATE (no outer join). string_agg is standard SQL that
// SQLite (since 3.44) and PostgreSQL both know; parseIDList sorts the ids,
// which is cheaper than an ORDER BY inside the aggregate (SQLite would sort
// in a temporary b-tree for every epic).
const epicColumns = `e.id, e.portfolio_id, e.key, e.title, e.description, e.type,
	COALESCE((SELECT u.name FROM users u WHERE u.id = e.epic_owner_id), ''),
	e.state, e.done_reason,
	e.hyp_for_customers, e.hyp_who, e.hyp_solution_name, e.hyp_is_a, e.hyp_that, e.hyp_unlike, e.hyp_our_solution,
	e.hyp_business_outcomes, e.hyp_leading_indicators, e.hyp_nfrs,
	e.wsjf_user_business_value, e.wsjf_time_criticality, e.wsjf_risk_reduction, e.wsjf_job_size,
	e.cost_mvp_internal, e.cost_mvp_supplier, e.cost_full_internal, e.cost_full_supplier,
	e.mvp_description, e.lbc_sponsors, e.lbc_expected_timeline, e.lbc_analysis_summary, e.lbc_implementation_strategy, e.runway,
	COALESCE(e.pivoted_from, 0), e.version, e.created_at, e.updated_at, e.state_entered_at,
	(SELECT string_agg(CAST(t.theme_id AS TEXT), ',') FROM epic_themes t WHERE t.epic_id = e.id),
	(SELECT string_agg(CAST(v.value_stream_id AS TEXT), ',') FROM epic_value_streams v WHERE v.epic_id = e.id)`

func scanEpic(row scanner) (*lpm.Epic, error) {
	var (
		e                          lpm.Epic
		outcomes, indicators, nfrs string
		sponsors, runway           string
		created, updated, entered  int64
		themes, valueStreams       sql.NullString
	)
	h, w, c, b := &e.Hypothesis, &e.WSJF, &e.Costs, &e.BusinessCase
	err := row.Scan(&e.ID, &e.PortfolioID, &e.Key, &e.Title, &e.Description, &e.Type, &e.EpicOwner,
		&e.State, &e.DoneReason,
		&h.ForCustomers, &h.Who, &h.SolutionName, &h.IsA, &h.That, &h.Unlike, &h.OurSolution,
		&outcomes, &indicators, &nfrs,
		&w.UserBusinessValue, &w.TimeCriticality, &w.RiskReduction, &w.JobSize,
		&c.MVPInternal, &c.MVPSupplier, &c.FullInternal, &c.FullSupplier,
		&e.MVPDescription, &sponsors, &b.ExpectedTimeline, &b.AnalysisSummary, &b.ImplementationStrategy, &runway,
		&e.PivotedFrom, &e.Version, &created, &updated, &entered,
		&themes, &valueStreams)
	if err != nil {
		return nil, err
	}
	if h.BusinessOutcomes, err = fromJSON[string](outcomes); err != nil {
		return nil, err
	}
	if h.LeadingIndicators, err = fromJSON[string](indicators); err != nil {
		return nil, err
	}
	if h.NFRs, err = fromJSON[string](nfrs); err != nil {
		return nil, err
	}
	if b.Sponsors, err = fromJSON[string](sponsors); err != nil {
		return nil, err
	}
	if e.Runway, err = fromJSON[string](runway); err != nil {
		return nil, err
	}
	if e.ThemeIDs, err = parseIDList(themes); err != nil {
		return nil, err
	}
	if e.ValueStreamIDs, err = parseIDList(valueStreams); err != nil {
		return nil, err
	}
	e.CreatedAt, e.UpdatedAt, e.StateEnteredAt = fromMicros(created), fromMicros(updated), fromMicros(entered)
	return &e, nil
}

// loadEpic reads one epic; lock is "" or the dialect's FOR UPDATE.
func loadEpic(ctx context.Context, q querier, id int64, lock string) (*lpm.Epic, error) {
	e, err := scanEpic(q.QueryRowContext(ctx, loadEpicSQL+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("epic", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load epic %d: %w", id, err)
	}
	return e, nil
}

// backlogRank is what the board orders by: the WSJF, or -1 for an epic not
// fully scored, which puts it after every scored one (a WSJF is positive).
func backlogRank(e *lpm.Epic) float64 {
	if w, ok := e.WSJF.WSJF(); ok {
		return w
	}
	return -1
}

// epicFields returns the values an insert or an update of e writes, in the
// order of epicFieldNames.
func epicFields(e *lpm.Epic, owner sql.NullInt64) ([]any, error) {
	h, w, c := e.Hypothesis, e.WSJF, e.Costs
	outcomes, err := toJSON(h.BusinessOutcomes)
	if err != nil {
		return nil, err
	}
	indicators, err := toJSON(h.LeadingIndicators)
	if err != nil {
		return nil, err
	}
	nfrs, err := toJSON(h.NFRs)
	if err != nil {
		return nil, err
	}
	sponsors, err := toJSON(e.BusinessCase.Sponsors)
	if err != nil {
		return nil, err
	}
	runway, err := toJSON(e.Runway)
	if err != nil {
		return nil, err
	}
	return []any{e.Title, e.Description, string(e.Type), owner, string(e.State), string(e.DoneReason),
		h.ForCustomers, h.Who, h.SolutionName, h.IsA, h.That, h.Unlike, h.OurSolution,
		outcomes, indicators, nfrs,
		w.UserBusinessValue, w.TimeCriticality, w.RiskReduction, w.JobSize, backlogRank(e),
		c.MVPInternal, c.MVPSupplier, c.FullInternal, c.FullSupplier,
		e.MVPDescription, sponsors, e.BusinessCase.ExpectedTimeline, e.BusinessCase.AnalysisSummary,
		e.BusinessCase.ImplementationStrategy, runway, e.Version, toMicros(e.UpdatedAt), toMicros(e.StateEnteredAt),
		searchText(e.Key, e.Title, e.Description)}, nil
}

// epicFieldNames are the columns epicFields fills, in its order: everything
// but the identity, key, portfolio, pivot link and creation time, which never
// change. search_text is rewritten with every write of the key, title or
// description; a move writes none of them, and leaves it alone.
var epicFieldNames = []string{"title", "description", "type", "epic_owner_id", "state", "done_reason",
	"hyp_for_customers", "hyp_who", "hyp_solution_name", "hyp_is_a", "hyp_that", "hyp_unlike", "hyp_our_solution",
	"hyp_business_outcomes", "hyp_leading_indicators", "hyp_nfrs",
	"wsjf_user_business_value", "wsjf_time_criticality", "wsjf_risk_reduction", "wsjf_job_size", "backlog_rank",
	"cost_mvp_internal", "cost_mvp_supplier", "cost_full_internal", "cost_full_supplier",
	"mvp_description", "lbc_sponsors", "lbc_expected_timeline", "lbc_analysis_summary", "lbc_implementation_strategy", "runway",
	"version", "updated_at", "state_entered_at", "search_text"}

// The statements that write a whole epic, built once so that their text is
// constant (PostgreSQL caches prepared statements by text).
var (
	insertEpicSQL = fixed(`INSERT INTO epics (portfolio_id, key, pivoted_from, created_at, ` +
		strings.Join(epicFieldNames, ", ") + `) VALUES (` + placeholders(1, 4+len(epicFieldNames)) + `) RETURNING id`)
	updateEpicSQL = fixed(func() string {
		set := make([]string, len(epicFieldNames))
		for i, col := range epicFieldNames {
			set[i] = fmt.Sprintf("%s = $%d", col, i+1)
		}
		return `UPDATE epics SET ` + strings.Join(set, ", ") + fmt.Sprintf(` WHERE id = $%d`, len(epicFieldNames)+1)
	}())
	loadEpicSQL    = fixed(`SELECT ` + epicColumns + ` FROM epics e WHERE e.id = $1`)
	nextEpicKeySQL = fixed(`UPDATE portfolios SET epic_seq = epic_seq + 1 WHERE id = $1 RETURNING epic_seq, key_prefix`)
	// clearThemesSQL and clearValueStreamsSQL remove an epic's links, before
	// they are written again or the epic is deleted.
	clearThemesSQL       = fixed(`DELETE FROM epic_themes WHERE epic_id = $1`)
	clearValueStreamsSQL = fixed(`DELETE FROM epic_value_streams WHERE epic_id = $1`)
	// The statements that delete an epic, children first.
	deleteEpicSQL = []string{
		clearThemesSQL,
		clearForecastInputsSQL,
		// An epic entered by mistake leaves the estimation rounds it was in.
		fixed(`DELETE FROM estimates WHERE epic_id = $1`),
		fixed(`DELETE FROM estimation_round_epics WHERE epic_id = $1`),
		// Impediments it held up stay, holding up nothing in particular.
		fixed(`UPDATE impediments SET epic_id = NULL WHERE epic_id = $1`),
		// A dependency on or of an epic that never was goes with it.
		fixed(`DELETE FROM dependencies WHERE from_epic_id = $1 OR to_epic_id = $1`),
		clearValueStreamsSQL,
		fixed(`DELETE FROM epic_transitions WHERE epic_id = $1`),
		fixed(`DELETE FROM decisions WHERE epic_id = $1`),
		fixed(`DELETE FROM epics WHERE id = $1`),
	}
)

// nextEpicKey takes the next number of the portfolio's epic counter and
// returns the key it makes, such as EP-42. The UPDATE locks the portfolio row
// until commit, so concurrent creations get distinct numbers, and a rolled
// back creation gives its number back.
func nextEpicKey(ctx context.Context, tx *dbtx, portfolioID int64) (string, error) {
	var (
		seq    int64
		prefix string
	)
	err := tx.QueryRowContext(ctx, nextEpicKeySQL, portfolioID).Scan(&seq, &prefix)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("portfolio", portfolioID)
	}
	if err != nil {
		return "", fmt.Errorf("next epic key of portfolio %d: %w", portfolioID, err)
	}
	return fmt.Sprintf("%s-%d", prefix, seq), nil
}

// insertEpic assigns e a key and an ID and writes it with its links. The
// caller has checked its references (owner is the owner's user id).
func insertEpic(ctx context.Context, tx *dbtx, e *lpm.Epic, owner sql.NullInt64) error {
	key, err := nextEpicKey(ctx, tx, e.PortfolioID)
	if err != nil {
		return err
	}
	// The key is part of what a search matches.
	named := *e
	named.Key = key
	fields, err := epicFields(&named, owner)
	if err != nil {
		return err
	}
	args := append([]any{e.PortfolioID, key, nullID(e.PivotedFrom), toMicros(e.CreatedAt)}, fields...)
	var id int64
	err = tx.QueryRowContext(ctx, insertEpicSQL, args...).Scan(&id)
	if err != nil {
		return fmt.Errorf("insert epic %s: %w", key, err)
	}
	e.ID, e.Key = id, key
	if err := writeLinks(ctx, tx, e, true, true); err != nil {
		return err
	}
	return nil
}

// updateEpic writes e's changeable fields.
func updateEpic(ctx context.Context, tx *dbtx, e *lpm.Epic, owner sql.NullInt64) error {
	fields, err := epicFields(e, owner)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, updateEpicSQL, append(fields, e.ID)...); err != nil {
		return fmt.Errorf("update epic %d: %w", e.ID, err)
	}
	return nil
}

// writeLinks replaces the epic's theme and/or value stream links. It
// normalises e's lists to what a read returns: sorted, without duplicates.
func writeLinks(ctx context.Context, tx *dbtx, e *lpm.Epic, themes, valueStreams bool) error {
	write := func(clear, table, column string, ids []int64) ([]int64, error) {
		if _, err := tx.ExecContext(ctx, clear, e.ID); err != nil {
			return nil, fmt.Errorf("clear %s of epic %d: %w", table, e.ID, err)
		}
		if len(ids) == 0 {
			return nil, nil
		}
		ids = slices.Compact(slices.Sorted(slices.Values(ids)))
		q := `INSERT INTO ` + table + ` (epic_id, ` + column + `) VALUES `
		args := []any{e.ID}
		for i, id := range ids {
			if i > 0 {
				q += ", "
			}
			q += fmt.Sprintf("($1, $%d)", i+2)
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return nil, fmt.Errorf("link epic %d in %s: %w", e.ID, table, err)
		}
		return ids, nil
	}
	var err error
	if themes {
		if e.ThemeIDs, err = write(clearThemesSQL, "epic_themes", "theme_id", e.ThemeIDs); err != nil {
			return err
		}
	}
	if valueStreams {
		if e.ValueStreamIDs, err = write(clearValueStreamsSQL, "epic_value_streams", "value_stream_id", e.ValueStreamIDs); err != nil {
			return err
		}
	}
	return nil
}

// CreateEpic stores a new funnel epic (from lpm.NewEpic), assigning its ID and
// its key from the portfolio's counter, and writes the first history entry.
// Needs ProposeEpic, checked before anything else: an actor who may not see
// the portfolio learns nothing, not even whether the epic owner exists.
func (s *Store) CreateEpic(ctx context.Context, e *lpm.Epic, actor lpm.Actor) error {
	if err := actor.AuthorizeObject(lpm.ProposeEpic, lpm.PortfolioTarget(e.PortfolioID), "portfolio", e.PortfolioID); err != nil {
		return err
	}
	if err := e.Validate(); err != nil {
		return err
	}
	if e.State != lpm.Funnel || e.DoneReason != "" || e.Version < 1 || e.CreatedAt.IsZero() {
		return invalid("epic", "state", "funnel_only", "a new epic starts in the funnel; prepare it with lpm.NewEpic")
	}
	c := *e
	err := s.inTx(ctx, "create epic", func(tx *dbtx) error {
		if err := createEpic(ctx, tx, &c, actor); err != nil {
			return err
		}
		return audit(ctx, tx, actor, lpm.Now(), epicCreated(&c))
	})
	if err != nil {
		return err
	}
	*e = c
	return nil
}

// epicCreated is the audit record of a new epic.
func epicCreated(e *lpm.Epic) record {
	return record{action: "epic.create", object: "epic", id: e.ID, chain: e.PortfolioID, after: e.AuditFields()}
}

// createEpic writes a new funnel epic and its creation entry in the history.
// The caller has authorized the creation and audits it.
func createEpic(ctx context.Context, tx *dbtx, e *lpm.Epic, actor lpm.Actor) error {
	owner, err := checkEpicRefs(ctx, tx, e)
	if err != nil {
		return err
	}
	if err := insertEpic(ctx, tx, e, owner); err != nil {
		return err
	}
	t := lpm.Transition{EpicID: e.ID, To: lpm.Funnel, Actor: actor.Name, At: e.CreatedAt}
	return insertTransition(ctx, tx, &t)
}

// FindEpicByID returns the epic, ENOTFOUND if there is none.
func (s *Store) FindEpicByID(ctx context.Context, id int64) (*lpm.Epic, error) {
	return loadEpic(ctx, s.read, id, "")
}

// UpdateEpic applies upd to the epic (the domain validates it and bumps the
// version) and returns it as stored; needs EditEpic on the epic as it was.
// Links are replaced when upd sets them.
func (s *Store) UpdateEpic(ctx context.Context, id int64, upd lpm.EpicUpdate, actor lpm.Actor) (*lpm.Epic, error) {
	var e *lpm.Epic
	err := s.inTx(ctx, "update epic", func(tx *dbtx) error {
		var err error
		e, err = s.updateEpic(ctx, tx, id, upd, actor)
		return err
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

func (s *Store) updateEpic(ctx context.Context, tx *dbtx, id int64, upd lpm.EpicUpdate, actor lpm.Actor) (*lpm.Epic, error) {
	e, err := loadEpic(ctx, tx, id, s.d.forUpdate)
	if err != nil {
		return nil, err
	}
	if err := actor.AuthorizeEpic(lpm.EditEpic, e); err != nil {
		return nil, err
	}
	before := e.AuditFields()
	now := lpm.Now()
	if err := upd.Apply(e, now); err != nil {
		return nil, err
	}
	// The epic as changed must be one the actor may edit too: a grant scoped
	// to own epics or enablers does not let its holder hand an epic to
	// someone else, nor take one out of the scope by changing its type.
	if err := actor.AuthorizeEpic(lpm.EditEpic, e); lpm.ErrorCodeOf(err) == lpm.EFORBIDDEN {
		return nil, lpm.Errorf(lpm.EFORBIDDEN, "the change would take epic %s out of the epics your roles let you edit "+
			"(by its epic owner or type); someone who may edit every epic can make that change", e.Key)
	} else if err != nil {
		return nil, err
	}
	// Only what changed needs checking; the rest was checked when written.
	check := *e
	if upd.ThemeIDs == nil {
		check.ThemeIDs = nil
	}
	if upd.ValueStreamIDs == nil {
		check.ValueStreamIDs = nil
	}
	owner, err := checkEpicRefs(ctx, tx, &check)
	if err != nil {
		return nil, err
	}
	if err := updateEpic(ctx, tx, e, owner); err != nil {
		return nil, err
	}
	if upd.ThemeIDs != nil || upd.ValueStreamIDs != nil {
		if err := writeLinks(ctx, tx, e, upd.ThemeIDs != nil, upd.ValueStreamIDs != nil); err != nil {
			return nil, err
		}
	}
	err = audit(ctx, tx, actor, now, record{action: "epic.update", object: "epic", id: id, chain: e.PortfolioID,
		before: before, after: e.AuditFields()})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// DeleteEpic deletes an epic entered by mistake, with its links and its one
// history entry: only a funnel epic that never left the funnel and has no
// decisions (lpm.Epic.CanDelete); ECONFLICT for any other, whose history is
// kept. Needs EditEpic. The audit entry keeps what the epic was.
func (s *Store) DeleteEpic(ctx context.Context, id int64, actor lpm.Actor) error {
	var key string
	err := s.inTx(ctx, "delete epic", func(tx *dbtx) error {
		e, err := loadEpic(ctx, tx, id, s.d.forUpdate)
		if err != nil {
			return err
		}
		if err := actor.AuthorizeEpic(lpm.EditEpic, e); err != nil {
			return err
		}
		var history, decisions int
		if err := tx.QueryRowContext(ctx, countEpicRecordsSQL, id).Scan(&history, &decisions); err != nil {
			return fmt.Errorf("count history of epic %d: %w", id, err)
		}
		if err := e.CanDelete(history, decisions); err != nil {
			return err
		}
		key = e.Key
		if err := deleteEpic(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, actor, lpm.Now(), record{action: "epic.delete", object: "epic", id: id, chain: e.PortfolioID,
			before: e.AuditFields()})
	})
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "epic deleted", slog.Int64("epic_id", id), slog.String("key", key),
		slog.String("actor", actor.Name))
	return nil
}

var countEpicRecordsSQL = fixed(`SELECT (SELECT COUNT(*) FROM epic_transitions WHERE epic_id = $1),
	(SELECT COUNT(*) FROM decisions WHERE epic_id = $1)`)

func deleteEpic(ctx context.Context, tx *dbtx, id int64) error {
	// Children first: the foreign keys do not cascade, so that nothing but
	// this function ever deletes history. Decisions of other epics that
	// point here as the result of a pivot lose that link (ON DELETE SET NULL).
	for _, q := range deleteEpicSQL {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("delete epic %d: %w", id, err)
		}
	}
	return nil
}
