package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// finishedEpicsSQL reads when the portfolio's finished epics entered done
// (done is final, so that is when they finished), off the epics_done index.
var finishedEpicsSQL = fixed(`SELECT state_entered_at FROM epics
	WHERE portfolio_id = $1 AND state = 'done' AND state_entered_at >= $2 AND done_reason IN (` + finishedReasonsSQL() + `)`)

// finishedReasonsSQL lists lpm.FinishedReasons as SQL literals; they are
// the domain's constants, never input.
func finishedReasonsSQL() string {
	quoted := make([]string, len(lpm.FinishedReasons))
	for i, r := range lpm.FinishedReasons {
		quoted[i] = "'" + string(r) + "'"
	}
	return strings.Join(quoted, ", ")
}

// FinishedEpicTimes returns when each epic of the portfolio that went
// through implementation to done (lpm.DoneReason.Finished) finished, for
// those finished at or after since, in no particular order.
func (s *Store) FinishedEpicTimes(ctx context.Context, portfolioID int64, since time.Time) ([]time.Time, error) {
	times, err := queryAll(ctx, s.read, func(row scanner) (time.Time, error) {
		var at int64
		err := row.Scan(&at)
		return fromMicros(at), err
	}, finishedEpicsSQL, portfolioID, toMicros(since))
	if err != nil {
		return nil, fmt.Errorf("read finished epics of portfolio %d: %w", portfolioID, err)
	}
	return times, nil
}
