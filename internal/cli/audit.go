package cli

import (
	"errors"
	"fmt"

	"github.com/lpm-project/lpm/internal/auditexport"
	"github.com/lpm-project/lpm/internal/lpm"
)

// auditCmd groups the audit trail commands.
type auditCmd struct {
	Verify auditVerifyCmd `cmd:"" help:"Check that no entry of any audit trail was edited, removed, inserted or reordered."`
	Export auditExportCmd `cmd:"" help:"Write a portfolio's (or the site's) audit trail to stdout, newest first, as the API exports it."`
}

// auditVerifyCmd verifies every chain.
type auditVerifyCmd struct {
	adminFlags
}

// Run prints one line per chain on stdout and fails (exit 1) naming the
// first bad entry when one chain does not verify.
func (c *auditVerifyCmd) Run(e *env) error {
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	reports, err := st.VerifyAudit(e.ctx)
	if err != nil {
		return fmt.Errorf("verify the audit trail: %w", err)
	}
	names := map[int64]string{0: "site"}
	ports, err := allPortfolios(e.ctx, st)
	if err != nil {
		return err
	}
	for _, p := range ports {
		names[p.ID] = fmt.Sprintf("portfolio %d %q", p.ID, p.Name)
	}
	var broken []error
	for _, r := range reports {
		name, ok := names[r.PortfolioID]
		if !ok {
			name = fmt.Sprintf("portfolio %d", r.PortfolioID)
		}
		if r.Break == nil {
			fmt.Fprintf(e.stdout, "%s: %s, intact\n", name, entries(r.Entries))
			continue
		}
		fmt.Fprintf(e.stdout, "%s: BROKEN at entry %d: %s (%s before it intact)\n", name, r.Break.Seq, r.Break.Reason, entries(r.Entries))
		broken = append(broken, r.Break)
	}
	if len(broken) > 0 {
		return fmt.Errorf("%w; the database was changed outside lpm: compare it with a backup to find what changed",
			errors.Join(broken...))
	}
	return nil
}

// auditExportCmd exports one chain.
type auditExportCmd struct {
	adminFlags
	Portfolio string `xor:"chain" placeholder:"ID|NAME" help:"Portfolio id or name whose trail to export."`
	Site      bool   `xor:"chain" help:"Export the site's trail (users and tokens) instead."`
	Format    string `enum:"jsonl,csv" default:"jsonl" help:"jsonl: one JSON object per line; csv: a header row, then one row per entry (default ${default})."`
}

// Run writes every entry of the chain on stdout.
func (c *auditExportCmd) Run(e *env) error {
	if c.Portfolio == "" && !c.Site {
		return usageError{errors.New("say which trail to export: --portfolio ID|NAME or --site")}
	}
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	f := lpm.AuditFilter{Page: lpm.Page{Limit: lpm.MaxPageSize}}
	what := "the site"
	if !c.Site {
		p, err := findPortfolio(e.ctx, st, c.Store.DB, c.Portfolio)
		if err != nil {
			return err
		}
		f.PortfolioID, what = p.ID, p.Name
	}
	w, err := auditexport.NewWriter(c.Format, e.stdout)
	if err != nil {
		return usageError{err}
	}
	for {
		list, next, err := st.FindAudit(e.ctx, f)
		if err != nil {
			return fmt.Errorf("read the audit trail of %s: %w", what, err)
		}
		for _, entry := range list {
			if err := w.Write(entry); err != nil {
				return fmt.Errorf("write the audit trail of %s: %w", what, err)
			}
		}
		if err := w.Flush(); err != nil {
			return fmt.Errorf("write the audit trail of %s: %w", what, err)
		}
		if next == "" {
			return nil
		}
		f.Page.Cursor = next
	}
}

// entries counts audit entries in words.
func entries(n int64) string {
	if n == 1 {
		return "1 entry"
	}
	return fmt.Sprintf("%d entries", n)
}
