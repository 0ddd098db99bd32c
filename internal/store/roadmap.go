package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// roadmapEpicsSQL reads only what the roadmap uses of each epic, off the
// board index (portfolio_id, state); the states fill $2, $3…. An epic in
// implementation also gets its first move into implementing_mvp, off the
// history's (epic_id, id) index: a few rows an epic, and only for those
// epics, as the CASE runs the subquery for nothing else.
const roadmapEpicsSQL = `SELECT e.id, e.portfolio_id, e.key, e.title, e.type, e.state,
	e.wsjf_user_business_value, e.wsjf_time_criticality, e.wsjf_risk_reduction, e.wsjf_job_size,
	e.created_at, e.state_entered_at,
	(SELECT string_agg(CAST(v.value_stream_id AS TEXT), ',') FROM epic_value_streams v WHERE v.epic_id = e.id),
	CASE WHEN e.state IN ('implementing_mvp', 'implementing_persevere') THEN
		(SELECT MIN(t.at) FROM epic_transitions t WHERE t.epic_id = e.id AND t.to_state = 'implementing_mvp') END
	FROM epics e WHERE e.portfolio_id = $1 AND e.state IN (%s) ORDER BY e.id`

// RoadmapEpics returns the portfolio's epics in the states with only the
// fields the roadmap uses (id, portfolio, key, title, type, state and when
// it was entered, WSJF, creation time, value streams, and for an epic in
// implementation when it first entered implementation), in one query: at
// 10,000 epics, reading every field page by page (FindEpics) was most of
// the roadmap's time.
func (s *Store) RoadmapEpics(ctx context.Context, portfolioID int64, states []lpm.State) ([]*lpm.Epic, error) {
	if len(states) == 0 {
		return nil, nil
	}
	args := []any{portfolioID}
	marks := make([]string, len(states))
	for i, st := range states {
		if !slices.Contains(lpm.States, st) {
			return nil, lpm.Errorf(lpm.EINVALID, "unknown state %q", st)
		}
		args = append(args, string(st))
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	list, err := queryAll(ctx, s.read, func(row scanner) (*lpm.Epic, error) {
		var (
			e                lpm.Epic
			created, entered int64
			valueStreams     sql.NullString
			started          sql.NullInt64
		)
		w := &e.WSJF
		if err := row.Scan(&e.ID, &e.PortfolioID, &e.Key, &e.Title, &e.Type, &e.State,
			&w.UserBusinessValue, &w.TimeCriticality, &w.RiskReduction, &w.JobSize, &created, &entered, &valueStreams,
			&started); err != nil {
			return nil, err
		}
		if started.Valid {
			e.ImplementationStartedAt = fromMicros(started.Int64)
		}
		var err error
		if e.ValueStreamIDs, err = parseIDList(valueStreams); err != nil {
			return nil, err
		}
		e.CreatedAt, e.StateEnteredAt = fromMicros(created), fromMicros(entered)
		return &e, nil
	}, fmt.Sprintf(roadmapEpicsSQL, strings.Join(marks, ", ")), args...)
	if err != nil {
		return nil, fmt.Errorf("read the roadmap's epics of portfolio %d: %w", portfolioID, err)
	}
	return list, nil
}
