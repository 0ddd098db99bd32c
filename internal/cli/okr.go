package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// okrCmd groups the commands about objectives and key results.
type okrCmd struct {
	Import okrImportCmd `cmd:"" help:"Record key-result check-ins of a strategic theme from a CSV file, all or none."`
}

// okrImportCmd records check-ins from CSV, as the API's CSV import does, so
// that a scheduled job can feed measured values without the web pages.
type okrImportCmd struct {
	adminFlags
	portfolioFlag
	Theme  string `required:"" placeholder:"ID|NAME" help:"Strategic theme id or name, in the portfolio."`
	DryRun bool   `name:"dry-run" help:"Check every row and say what would be recorded, writing nothing."`
	File   string `arg:"" name:"file" help:"UTF-8 CSV with a header row naming key_result_id, at (RFC 3339 or YYYY-MM-DD), value, confidence, status and optionally note, in any order; - reads stdin."`
}

// Run reads and checks every row, then records them all in one transaction
// or, when any is wrong, none: it lists every problem by line, so that one
// corrected file suffices, and exits 2.
func (c *okrImportCmd) Run(e *env) error {
	body, name, err := c.read(e)
	if err != nil {
		return err
	}
	st, err := c.open(e)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := findPortfolio(e.ctx, st, c.Store.DB, c.Portfolio)
	if err != nil {
		return err
	}
	t, err := findTheme(e.ctx, st, p, c.Theme)
	if err != nil {
		return err
	}
	// As the API does: where the rows go comes before what is wrong with them.
	list, lines, err := lpm.ParseCheckInsCSV(bytes.NewReader(body))
	if err != nil {
		return badRows(err, name, lines)
	}
	_, keyResults, _, err := st.ThemeOKRs(e.ctx, t.ID)
	if err != nil {
		return fmt.Errorf("read the key results of strategic theme %q: %w", t.Name, err)
	}
	// The same check the API makes before it stores the rows of a CSV.
	place := func(i int) string { return fmt.Sprintf("line %d", lines[i]) }
	if err := lpm.CheckThemeCheckIns(t.ID, keyResults, list, lpm.Now(), place); err != nil {
		return badRows(err, name, lines)
	}
	if c.DryRun {
		fmt.Fprintf(e.stdout, "dry run, nothing was recorded: the %d check-ins of %s are valid and would be recorded through strategic theme %q of portfolio %q:\n",
			len(list), name, t.Name, p.Name)
		printPerKeyResult(e.stdout, keyResults, list)
		return nil
	}
	if err := st.AddCheckIns(e.ctx, t.PortfolioID, list, cliActor()); err != nil {
		if lpm.ErrorCodeOf(err) == lpm.EINVALID {
			return badRows(err, name, lines)
		}
		return fmt.Errorf("record the check-ins of %s: %w", name, err)
	}
	fmt.Fprintf(e.stdout, "recorded %d check-ins from %s through strategic theme %q of portfolio %q:\n", len(list), name, t.Name, p.Name)
	printPerKeyResult(e.stdout, keyResults, list)
	return nil
}

// read returns the CSV and how to name it in messages. A file that cannot
// be read is a failure (exit 1), not bad input.
func (c *okrImportCmd) read(e *env) ([]byte, string, error) {
	if c.File == "-" {
		body, err := io.ReadAll(e.stdin)
		if err != nil {
			return nil, "", fmt.Errorf("read the check-ins from stdin: %w", err)
		}
		return body, "stdin", nil
	}
	body, err := os.ReadFile(c.File)
	if err != nil {
		return nil, "", fmt.Errorf("read the check-ins: %w", err)
	}
	return body, c.File, nil
}

// printPerKeyResult writes how many of list are of each key result, in the
// theme's order of key results.
func printPerKeyResult(w io.Writer, keyResults []*lpm.KeyResult, list []*lpm.CheckIn) {
	count := map[int64]int{}
	for _, c := range list {
		count[c.KeyResultID]++
	}
	tw := table(w, "  KEY RESULT\tCHECK-INS\tTITLE")
	for _, k := range keyResults {
		if n := count[k.ID]; n > 0 {
			fmt.Fprintf(tw, "  %d\t%d\t%s\n", k.ID, n, k.Title)
		}
	}
	tw.Flush()
}

// badRows is the usage error (exit 2) for a CSV with problems: each on a
// line of its own, named by the CSV line it is on. The store names rows by
// their index ("check_ins[3]"); lines turns that into the line too.
func badRows(err error, name string, lines []int) error {
	le := lpm.AsError(err)
	if le == nil || le.Code != lpm.EINVALID {
		return fmt.Errorf("check the check-ins of %s: %w", name, err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s; nothing was recorded", name, le.Message)
	if len(le.Violations) > 0 {
		b.WriteString(":")
	}
	for _, v := range le.Violations {
		fmt.Fprintf(&b, "\n  %s: %s", rowPlace(v.Field, lines), v.Message)
	}
	return usageError{errors.New(b.String())}
}

// rowPlace is where a violation is, without its column (the messages name
// it): "line 3" of "line 3.at", or the line of the store's "check_ins[1].at".
func rowPlace(field string, lines []int) string {
	place, _, _ := strings.Cut(field, ".")
	if idx, ok := strings.CutPrefix(place, "check_ins["); ok {
		if i, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil && i >= 0 && i < len(lines) {
			return fmt.Sprintf("line %d", lines[i])
		}
	}
	return place
}
