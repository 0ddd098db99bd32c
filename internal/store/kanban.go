package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

func nullLimit(limit *int) sql.NullInt64 {
	if limit == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*limit), Valid: true}
}

const columnColumns = `state, wip_limit, enforcement, allow_backward`

var (
	loadColumnSQL   = fixed(`SELECT ` + columnColumns + ` FROM kanban_columns WHERE portfolio_id = $1 AND state = $2`)
	findColumnsSQL  = fixed(`SELECT ` + columnColumns + ` FROM kanban_columns WHERE portfolio_id = $1 ORDER BY position`)
	updateColumnSQL = fixed(`UPDATE kanban_columns SET wip_limit = $1, enforcement = $2, allow_backward = $3
		WHERE portfolio_id = $4 AND state = $5`)
	boardCountsSQL = fixed(`SELECT state, COUNT(*) FROM epics WHERE portfolio_id = $1 GROUP BY state`)
)

func scanColumn(row scanner) (lpm.Column, error) {
	var (
		c     lpm.Column
		limit sql.NullInt64
	)
	if err := row.Scan(&c.State, &limit, &c.Enforcement, &c.AllowBackward); err != nil {
		return c, err
	}
	if limit.Valid {
		n := int(limit.Int64)
		c.WIPLimit = &n
	}
	return c, nil
}

// loadColumn reads one column's configuration; lock is "" or the dialect's
// FOR UPDATE.
func loadColumn(ctx context.Context, q querier, portfolioID int64, state lpm.State, lock string) (lpm.Column, error) {
	c, err := scanColumn(q.QueryRowContext(ctx, loadColumnSQL+lock, portfolioID, string(state)))
	if errors.Is(err, sql.ErrNoRows) {
		return c, lpm.Errorf(lpm.ENOTFOUND, "portfolio %d has no Kanban column %s", portfolioID, state)
	}
	if err != nil {
		return c, fmt.Errorf("load column %s of portfolio %d: %w", state, portfolioID, err)
	}
	return c, nil
}

// findColumns reads a portfolio's columns in board order (lpm.States);
// ENOTFOUND when the portfolio does not exist.
func findColumns(ctx context.Context, q querier, portfolioID int64) ([]lpm.Column, error) {
	cols, err := queryAll(ctx, q, scanColumn, findColumnsSQL, portfolioID)
	if err != nil {
		return nil, fmt.Errorf("columns of portfolio %d: %w", portfolioID, err)
	}
	// Every portfolio gets its columns when it is created.
	if len(cols) == 0 {
		return nil, notFound("portfolio", portfolioID)
	}
	return cols, nil
}

// FindColumns returns the portfolio's Kanban configuration in board order.
func (s *Store) FindColumns(ctx context.Context, portfolioID int64) ([]lpm.Column, error) {
	return findColumns(ctx, s.read, portfolioID)
}

// UpdateColumn changes one column's configuration, validated by the domain;
// needs ConfigureKanban. Lowering a WIP limit below the column's current
// count is allowed: the limit then stops further moves in until epics leave.
// The audit trail names the column by its position (lpm.States, from 1).
func (s *Store) UpdateColumn(ctx context.Context, portfolioID int64, state lpm.State, upd lpm.ColumnUpdate, actor lpm.Actor) (*lpm.Column, error) {
	cols, err := s.UpdateColumns(ctx, portfolioID, []lpm.ColumnChange{{State: state, Update: upd}}, actor)
	if err != nil {
		return nil, err
	}
	return &cols[0], nil
}

// UpdateColumns changes several columns of a portfolio at once, all or
// nothing (a settings form saved in one go), as UpdateColumn does each. The
// columns are locked in board order, whatever the order of the changes, as
// every other write locks them.
func (s *Store) UpdateColumns(ctx context.Context, portfolioID int64, changes []lpm.ColumnChange, actor lpm.Actor) ([]lpm.Column, error) {
	if err := actor.AuthorizeObject(lpm.ConfigureKanban, lpm.PortfolioTarget(portfolioID), "portfolio", portfolioID); err != nil {
		return nil, err
	}
	for i, ch := range changes {
		if !ch.State.Valid() {
			return nil, invalid("column", "state", "enum", "%q is not a Kanban state", ch.State)
		}
		if slices.ContainsFunc(changes[:i], func(o lpm.ColumnChange) bool { return o.State == ch.State }) {
			return nil, invalid("column", "state", "duplicate", "column %s is changed twice", ch.State)
		}
	}
	ordered := slices.Clone(changes)
	slices.SortFunc(ordered, func(a, b lpm.ColumnChange) int { return int(columnID(a.State) - columnID(b.State)) })
	byState := make(map[lpm.State]lpm.Column, len(changes))
	err := s.inTx(ctx, "update columns", func(tx *dbtx) error {
		var records []record
		for _, ch := range ordered {
			c, err := loadColumn(ctx, tx, portfolioID, ch.State, s.d.forUpdate)
			if err != nil {
				if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
					return notFound("portfolio", portfolioID)
				}
				return err
			}
			before := c
			if err := ch.Update.Apply(&c); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, updateColumnSQL, nullLimit(c.WIPLimit), string(c.Enforcement), c.AllowBackward, portfolioID, string(ch.State))
			if err != nil {
				return fmt.Errorf("update column %s of portfolio %d: %w", ch.State, portfolioID, err)
			}
			byState[ch.State] = c
			records = append(records, record{action: "kanban_column.update", object: "kanban_column",
				id: columnID(ch.State), chain: portfolioID, before: before.AuditFields(), after: c.AuditFields()})
		}
		return audit(ctx, tx, actor, lpm.Now(), records...)
	})
	if err != nil {
		return nil, err
	}
	out := make([]lpm.Column, len(changes))
	for i, ch := range changes {
		out[i] = byState[ch.State]
	}
	return out, nil
}

// columnID names a Kanban column in the audit trail, which records only the
// fields an update changes (so not the state): its position in lpm.States,
// counted from 1 (funnel 1, done 7).
func columnID(state lpm.State) int64 { return int64(slices.Index(lpm.States, state)) + 1 }

// boardCardsQuery reads the first cards of every column in one statement:
// one LIMITed branch per state, each an ordered range of an index. Every
// column but done is in backlog order (lpm.CompareBacklog) off epics_board
// (portfolio_id, state, backlog_rank DESC, created_at, id): highest WSJF
// first, unscored (-1) last, ties by age, then by id. Done is in
// lpm.CompareDone order (most recently finished first) off the partial index
// epics_done, which only a literal 'done' lets the planner use. $1 is the
// portfolio, $2 the cards per column, and $3… the states other than done, in
// lpm.States order; filter is "" or conditions on e starting with AND, whose
// placeholders follow.
func boardCardsQuery(filter string) string {
	const card = `SELECT e.id, e.key, e.title, e.type, e.state,
			COALESCE((SELECT u.name FROM users u WHERE u.id = e.epic_owner_id), ''),
			e.backlog_rank, e.state_entered_at, e.created_at FROM epics e `
	var branches []string
	for i := range boardStatesByWSJF() {
		branches = append(branches, fmt.Sprintf(`SELECT * FROM (%s WHERE e.portfolio_id = $1 AND e.state = $%d%s
			ORDER BY e.backlog_rank DESC, e.created_at, e.id LIMIT $2) AS c%d`, card, i+3, filter, i))
	}
	branches = append(branches, fmt.Sprintf(`SELECT * FROM (%s WHERE e.portfolio_id = $1 AND e.state = 'done'%s
			ORDER BY e.state_entered_at DESC, e.id DESC LIMIT $2) AS cdone`, card, filter))
	return strings.Join(branches, "\nUNION ALL\n")
}

// boardCardsSQL is the board without a filter, prepared once.
var boardCardsSQL = fixed(boardCardsQuery(""))

// boardFilterSQL turns f into conditions on e for the board's queries, with
// placeholders numbered from first.
func boardFilterSQL(f lpm.BoardFilter, first int) (string, []any) {
	var (
		conds []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(first+len(args)-1)
	}
	if f.Type != "" {
		conds = append(conds, "e.type = "+arg(string(f.Type)))
	}
	if f.ThemeID != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM epic_themes t WHERE t.epic_id = e.id AND t.theme_id = "+arg(f.ThemeID)+")")
	}
	if f.ValueStreamID != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM epic_value_streams v WHERE v.epic_id = e.id AND v.value_stream_id = "+arg(f.ValueStreamID)+")")
	}
	if f.Owner != "" {
		conds = append(conds, "e.epic_owner_id = (SELECT u.id FROM users u WHERE u.name = "+arg(f.Owner)+")")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " AND " + strings.Join(conds, " AND "), args
}

// boardStatesByWSJF are the columns shown in backlog order: all but done.
func boardStatesByWSJF() []lpm.State {
	var out []lpm.State
	for _, st := range lpm.States {
		if st != lpm.Done {
			out = append(out, st)
		}
	}
	return out
}

// Board returns every column of the portfolio with its count and its first
// perColumn cards (of those f lets through) in backlog order, read from one
// snapshot. perColumn is capped at lpm.MaxPageSize; 0 reads counts only.
func (s *Store) Board(ctx context.Context, portfolioID int64, f lpm.BoardFilter, perColumn int) (*lpm.Board, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	perColumn = min(max(perColumn, 0), lpm.MaxPageSize)
	b := &lpm.Board{PortfolioID: portfolioID}
	err := s.inReadTx(ctx, "read board", func(tx *dbtx) error {
		cols, err := findColumns(ctx, tx, portfolioID)
		if err != nil {
			return err
		}
		b.Columns = make([]lpm.BoardColumn, len(cols))
		index := make(map[lpm.State]*lpm.BoardColumn, len(cols))
		for i, c := range cols {
			b.Columns[i].Column = c
			index[c.State] = &b.Columns[i]
		}
		if err := boardCounts(ctx, tx, portfolioID, f, index); err != nil {
			return err
		}
		if perColumn > 0 {
			return boardCards(ctx, tx, portfolioID, f, perColumn, index)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// boardCounts counts every column's epics, and those f lets through.
func boardCounts(ctx context.Context, tx *dbtx, portfolioID int64, f lpm.BoardFilter, index map[lpm.State]*lpm.BoardColumn) error {
	query, args := boardCountsSQL, []any{portfolioID}
	if !f.IsZero() {
		cond, fargs := boardFilterSQL(f, 2)
		query = `SELECT e.state, COUNT(*), COUNT(CASE WHEN TRUE` + cond + ` THEN 1 END) FROM epics e WHERE e.portfolio_id = $1 GROUP BY e.state`
		args = append(args, fargs...)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("count board of portfolio %d: %w", portfolioID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			state       lpm.State
			n, matching int
		)
		dest := []any{&state, &n}
		if !f.IsZero() {
			dest = append(dest, &matching)
		}
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("count board of portfolio %d: %w", portfolioID, err)
		}
		if f.IsZero() {
			matching = n
		}
		if c := index[state]; c != nil {
			c.Count, c.Matching = n, matching
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count board of portfolio %d: %w", portfolioID, err)
	}
	return nil
}

func boardCards(ctx context.Context, tx *dbtx, portfolioID int64, f lpm.BoardFilter, perColumn int, index map[lpm.State]*lpm.BoardColumn) error {
	args := make([]any, 0, 2+len(lpm.States))
	args = append(args, portfolioID, perColumn)
	for _, st := range boardStatesByWSJF() {
		args = append(args, string(st))
	}
	query := boardCardsSQL
	if !f.IsZero() {
		cond, fargs := boardFilterSQL(f, len(args)+1)
		query = boardCardsQuery(cond)
		args = append(args, fargs...)
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("cards of portfolio %d: %w", portfolioID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			card             lpm.EpicSummary
			rank             float64
			entered, created int64
		)
		if err := rows.Scan(&card.ID, &card.Key, &card.Title, &card.Type, &card.State, &card.EpicOwner,
			&rank, &entered, &created); err != nil {
			return fmt.Errorf("cards of portfolio %d: %w", portfolioID, err)
		}
		// backlog_rank is the WSJF exactly as the domain computed it.
		if rank >= 0 {
			card.WSJF = &rank
		}
		card.StateEnteredAt, card.CreatedAt = fromMicros(entered), fromMicros(created)
		if c := index[card.State]; c != nil {
			c.Cards = append(c.Cards, card)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cards of portfolio %d: %w", portfolioID, err)
	}
	return nil
}
