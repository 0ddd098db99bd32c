package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The audit trail. Every write records what it changed by calling audit as
// the last step of its transaction: the change and its entry commit or roll
// back together, and a refused or failed write leaves no entry. Each
// portfolio has its own hash chain (portfolio 0 holds the site's users and
// tokens), whose head row in audit_heads orders the chain's appends. audit
// takes that row's lock last, so it is held only for the entry's insert and
// the commit; the locks every write takes before it (portfolio, epic,
// column) come first in the same order everywhere, which keeps PostgreSQL
// free of deadlocks.
//
// audit is also where the change feed's changes come from: each record that
// changed something becomes one lpm.Change (or one per epic it concerns),
// noted on the transaction, which sends them when it commits (feed.go).

// record describes one change for audit.
type record struct {
	action string // "<object>.<verb>", e.g. "epic.update"
	object string // one of lpm.AuditObjectTypes
	id     int64  // the object's ID (for memberships the user's, for Kanban columns the position)
	chain  int64  // the portfolio whose chain records it; 0 for the site
	// before and after are the object's audited fields around the change;
	// nil before a creation and after a deletion. Only the fields that
	// differ are kept.
	before, after lpm.Fields
}

var (
	// reserveAuditSQL moves a chain's head n entries on and returns the new
	// last seq and the hash of the entry the reserved ones follow, taking the
	// head row's lock: one statement for the common case of a chain that
	// has a head already.
	reserveAuditSQL = fixed(`UPDATE audit_heads SET seq = seq + $2 WHERE portfolio_id = $1 RETURNING seq, hash`)
	// newAuditHeadSQL starts a chain. A concurrent start waits for the first
	// one's commit and then does nothing; both then reserve on the one head.
	newAuditHeadSQL  = fixed(`INSERT INTO audit_heads (portfolio_id, seq, hash) VALUES ($1, 0, '') ON CONFLICT (portfolio_id) DO NOTHING`)
	sealAuditHeadSQL = fixed(`UPDATE audit_heads SET hash = $2 WHERE portfolio_id = $1`)
	insertAuditSQL   = fixed(`INSERT INTO audit_log (` + auditColumns + `) VALUES (` + placeholders(1, 13) + `)`)
)

const auditColumns = `portfolio_id, seq, at, actor_id, actor, address, action, object_type, object_id, before, after, prev_hash, hash`

// audit appends the entries recording changes made by actor at the time
// given, sealed into their chains, and notes their lpm.Changes on tx. A
// record that changed no field (an update that set every field to what it
// was) writes nothing and tells nothing. Call it last in the transaction.
func audit(ctx context.Context, tx *dbtx, actor lpm.Actor, at time.Time, records ...record) error {
	byChain := map[int64][]*lpm.AuditEntry{}
	for _, r := range records {
		if !slices.Contains(lpm.AuditObjectTypes, r.object) {
			return fmt.Errorf("audit %s: unknown object type %q", r.action, r.object)
		}
		e, err := lpm.NewAuditEntry(actor, r.action, r.object, r.id, r.chain, r.before, r.after, at)
		if err != nil {
			return err
		}
		if e.Changed() {
			byChain[r.chain] = append(byChain[r.chain], e)
			// What the change feed tells once the transaction commits.
			tx.changes = lpm.AppendChanges(tx.changes, r.action, r.object, r.id, r.chain, r.before, r.after)
		}
	}
	// Chains in ascending order, so that two writes touching the same two
	// chains lock their heads in the same order.
	for _, chain := range slices.Sorted(maps.Keys(byChain)) {
		if err := appendToChain(ctx, tx, chain, byChain[chain]); err != nil {
			return err
		}
	}
	return nil
}

// appendToChain seals entries after the chain's head and writes them and the
// new head.
func appendToChain(ctx context.Context, tx *dbtx, chain int64, entries []*lpm.AuditEntry) error {
	n := int64(len(entries))
	var (
		last int64
		hash string
	)
	err := tx.QueryRowContext(ctx, reserveAuditSQL, chain, n).Scan(&last, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		// The chain's first entry.
		if _, err := tx.ExecContext(ctx, newAuditHeadSQL, chain); err != nil {
			return fmt.Errorf("start the audit chain of portfolio %d: %w", chain, err)
		}
		err = tx.QueryRowContext(ctx, reserveAuditSQL, chain, n).Scan(&last, &hash)
	}
	if err != nil {
		return fmt.Errorf("lock the audit chain of portfolio %d: %w", chain, err)
	}
	head := &lpm.AuditHead{PortfolioID: chain, Seq: last - n, Hash: hash}
	for _, e := range entries {
		e.Seal(head)
		if _, err := tx.ExecContext(ctx, insertAuditSQL, e.PortfolioID, e.Seq, toMicros(e.At), e.ActorID, e.Actor, e.Address,
			e.Action, e.ObjectType, e.ObjectID, string(e.Before), string(e.After), e.PrevHash, e.Hash); err != nil {
			return fmt.Errorf("append %s to the audit chain of portfolio %d: %w", e.Action, chain, err)
		}
		head = &lpm.AuditHead{PortfolioID: chain, Seq: e.Seq, Hash: e.Hash}
	}
	if _, err := tx.ExecContext(ctx, sealAuditHeadSQL, chain, head.Hash); err != nil {
		return fmt.Errorf("move the head of the audit chain of portfolio %d: %w", chain, err)
	}
	return nil
}

func scanAuditEntry(row scanner) (lpm.AuditEntry, error) {
	var (
		e             lpm.AuditEntry
		at            int64
		before, after string
	)
	err := row.Scan(&e.PortfolioID, &e.Seq, &at, &e.ActorID, &e.Actor, &e.Address, &e.Action, &e.ObjectType, &e.ObjectID,
		&before, &after, &e.PrevHash, &e.Hash)
	e.At = fromMicros(at)
	e.Before, e.After = []byte(before), []byte(after)
	return e, err
}

// FindAudit lists the entries of one chain that f selects, newest first. The
// cursor is the seq of the last entry of the previous page.
func (s *Store) FindAudit(ctx context.Context, f lpm.AuditFilter) ([]lpm.AuditEntry, string, error) {
	if err := f.Validate(); err != nil {
		return nil, "", err
	}
	pq, err := readPage(f.Page)
	if err != nil {
		return nil, "", err
	}
	query, args := findAuditQuery(f, pq)
	list, err := queryAll(ctx, s.read, scanAuditEntry, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("list the audit trail of portfolio %d: %w", f.PortfolioID, err)
	}
	list, next := trimPage(list, pq, func(e lpm.AuditEntry) int64 { return e.Seq })
	return list, next, nil
}

// findAuditQuery builds the query of FindAudit: one chain, newest first,
// each filter answered by an index of its own (see the migration).
func findAuditQuery(f lpm.AuditFilter, pq pageQuery) (string, []any) {
	var (
		where []string
		args  []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where = append(where, "portfolio_id = "+arg(f.PortfolioID))
	// Newest first, so the next page holds the entries before the cursor.
	if pq.after > 0 {
		where = append(where, "seq < "+arg(pq.after))
	}
	if f.Actor != "" {
		where = append(where, "actor = "+arg(f.Actor))
	}
	if f.ObjectType != "" {
		where = append(where, "object_type = "+arg(f.ObjectType))
		if f.ObjectID != 0 {
			where = append(where, "object_id = "+arg(f.ObjectID))
		}
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+arg(toMicros(f.From)))
	}
	if !f.To.IsZero() {
		where = append(where, "at < "+arg(toMicros(f.To)))
	}
	return `SELECT ` + auditColumns + ` FROM audit_log WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY seq DESC LIMIT ` + arg(pq.limit+1), args
}

// auditBatch is how many entries VerifyAudit reads at a time: enough to
// keep round trips few, few enough that a chain of millions is never in
// memory at once.
const auditBatch = 1000

var (
	// auditChainsSQL lists every portfolio too: one whose chain was deleted
	// whole, head and all, must not pass for one without a chain.
	auditChainsSQL = fixed(`SELECT portfolio_id FROM audit_heads UNION SELECT DISTINCT portfolio_id FROM audit_log
		UNION SELECT id FROM portfolios ORDER BY 1`)
	auditPageSQL = fixed(`SELECT ` + auditColumns + ` FROM audit_log WHERE portfolio_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`)
	auditHeadSQL = fixed(`SELECT seq, hash FROM audit_heads WHERE portfolio_id = $1`)
)

// VerifyAudit checks every chain, entry by entry in seq order, against its
// head, and reports on each. It reads one snapshot, so that writes made
// meanwhile do not look like breaks; a break is a report, not an error.
func (s *Store) VerifyAudit(ctx context.Context) ([]lpm.ChainReport, error) {
	var reports []lpm.ChainReport
	err := s.inReadTx(ctx, "verify audit trail", func(tx *dbtx) error {
		chains, err := queryAll(ctx, tx, scanValue[int64], auditChainsSQL)
		if err != nil {
			return fmt.Errorf("list audit chains: %w", err)
		}
		for _, chain := range chains {
			r, err := verifyChain(ctx, tx, chain)
			if err != nil {
				return err
			}
			reports = append(reports, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return reports, nil
}

// verifyChain streams one chain through lpm.ChainVerifier.
func verifyChain(ctx context.Context, tx *dbtx, chain int64) (lpm.ChainReport, error) {
	v := &lpm.ChainVerifier{PortfolioID: chain}
	var after int64
	for {
		batch, err := queryAll(ctx, tx, scanAuditEntry, auditPageSQL, chain, after, auditBatch)
		if err != nil {
			return lpm.ChainReport{}, fmt.Errorf("read the audit chain of portfolio %d: %w", chain, err)
		}
		for i := range batch {
			if !v.Next(&batch[i]) {
				break
			}
		}
		if v.Bad != nil || len(batch) < auditBatch {
			break
		}
		after = batch[len(batch)-1].Seq
	}
	var head *lpm.AuditHead
	h := lpm.AuditHead{PortfolioID: chain}
	err := tx.QueryRowContext(ctx, auditHeadSQL, chain).Scan(&h.Seq, &h.Hash)
	switch {
	case err == nil:
		head = &h
	case !errors.Is(err, sql.ErrNoRows):
		return lpm.ChainReport{}, fmt.Errorf("read the head of the audit chain of portfolio %d: %w", chain, err)
	}
	n, _ := v.Finish(head) // the break, if any, is v.Bad
	if head == nil && v.Bad == nil && chain != 0 {
		// Every portfolio has a head from its creation (or from the upgrade
		// that brought the audit trail), so only deleting it leaves none.
		v.Bad = &lpm.ChainBreak{PortfolioID: chain, Seq: 1,
			Reason: "the portfolio has no audit chain at all: its entries and head were deleted"}
	}
	return lpm.ChainReport{PortfolioID: chain, Entries: n, Break: v.Bad}, nil
}
