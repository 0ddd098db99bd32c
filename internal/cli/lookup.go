package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// findUser returns the user called name, or an error that says how to
// create one.
func findUser(ctx context.Context, st *store.Store, db, name string) (*lpm.User, error) {
	u, err := st.FindUserByName(ctx, name)
	if lpm.ErrorCodeOf(err) == lpm.ENOTFOUND {
		return nil, fmt.Errorf("there is no user %q in %s; create it with: lpm user add %s", name, redact(db), name)
	}
	if err != nil {
		return nil, fmt.Errorf("find user %s: %w", name, err)
	}
	return u, nil
}

// findPortfolio returns the portfolio ref names: its id, or its name (exact,
// else the one whose name matches ignoring case). An unknown one is an error
// that lists the portfolios there are.
func findPortfolio(ctx context.Context, st *store.Store, db, ref string) (*lpm.Portfolio, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		p, err := st.FindPortfolioByID(ctx, id)
		if err == nil || lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			return p, wrap(err, "find portfolio %d", id)
		}
	}
	all, err := allPortfolios(ctx, st)
	if err != nil {
		return nil, err
	}
	var folded []*lpm.Portfolio
	for _, p := range all {
		if p.Name == ref {
			return p, nil
		}
		if strings.EqualFold(p.Name, ref) {
			folded = append(folded, p)
		}
	}
	if len(folded) == 1 {
		return folded[0], nil
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("there is no portfolio %q in %s: it holds no portfolios yet", ref, redact(db))
	}
	names := make([]string, len(all))
	for i, p := range all {
		names[i] = fmt.Sprintf("%d %q", p.ID, p.Name)
	}
	return nil, fmt.Errorf("there is no portfolio %q in %s; give the id or name of one of: %s", ref, redact(db), strings.Join(names, ", "))
}

// allPortfolios reads every portfolio, page by page.
func allPortfolios(ctx context.Context, st *store.Store) ([]*lpm.Portfolio, error) {
	var out []*lpm.Portfolio
	page := lpm.Page{Limit: lpm.MaxPageSize}
	for {
		list, next, err := st.FindPortfolios(ctx, cliActor(), page)
		if err != nil {
			return nil, fmt.Errorf("list portfolios: %w", err)
		}
		out = append(out, list...)
		if next == "" {
			return out, nil
		}
		page.Cursor = next
	}
}

// findTheme returns the strategic theme of portfolio p that ref names: its
// id, or its name (exact, else the one whose name matches ignoring case).
// A theme of another portfolio is not found, so that --portfolio and
// --theme cannot disagree; an unknown or ambiguous one is an error that
// lists the portfolio's themes.
func findTheme(ctx context.Context, st *store.Store, p *lpm.Portfolio, ref string) (*lpm.StrategicTheme, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		t, err := st.FindThemeByID(ctx, id)
		if err == nil && t.PortfolioID == p.ID {
			return t, nil
		}
		if err != nil && lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			return nil, fmt.Errorf("find strategic theme %d: %w", id, err)
		}
	}
	all, err := allThemes(ctx, st, p.ID)
	if err != nil {
		return nil, err
	}
	var folded []*lpm.StrategicTheme
	for _, t := range all {
		if t.Name == ref {
			return t, nil
		}
		if strings.EqualFold(t.Name, ref) {
			folded = append(folded, t)
		}
	}
	if len(folded) == 1 {
		return folded[0], nil
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("there is no strategic theme %q in portfolio %q: it has no themes yet", ref, p.Name)
	}
	if len(folded) > 1 {
		return nil, fmt.Errorf("%q names more than one strategic theme of portfolio %q when case is ignored; give the id or exact name of one of: %s",
			ref, p.Name, themeNames(folded))
	}
	return nil, fmt.Errorf("there is no strategic theme %q in portfolio %q; give the id or name of one of: %s", ref, p.Name, themeNames(all))
}

// themeNames lists themes as `id "name"`, for an error.
func themeNames(list []*lpm.StrategicTheme) string {
	names := make([]string, len(list))
	for i, t := range list {
		names[i] = fmt.Sprintf("%d %q", t.ID, t.Name)
	}
	return strings.Join(names, ", ")
}

// allThemes reads every strategic theme of a portfolio, page by page.
func allThemes(ctx context.Context, st *store.Store, portfolioID int64) ([]*lpm.StrategicTheme, error) {
	var out []*lpm.StrategicTheme
	page := lpm.Page{Limit: lpm.MaxPageSize}
	for {
		list, next, err := st.FindThemes(ctx, portfolioID, page)
		if err != nil {
			return nil, fmt.Errorf("list strategic themes of portfolio %d: %w", portfolioID, err)
		}
		out = append(out, list...)
		if next == "" {
			return out, nil
		}
		page.Cursor = next
	}
}

// allUsers reads every user, page by page.
func allUsers(ctx context.Context, st *store.Store) ([]*lpm.User, error) {
	var out []*lpm.User
	page := lpm.Page{Limit: lpm.MaxPageSize}
	for {
		list, next, err := st.FindUsers(ctx, page)
		if err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		out = append(out, list...)
		if next == "" {
			return out, nil
		}
		page.Cursor = next
	}
}

// wrap adds context to err, keeping nil nil.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// readPassword reads one line from r: the password, without its line ending.
// Passwords come on stdin because flags and environment show up in process
// lists and shell histories.
func readPassword(r io.Reader, user string) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
	if pw == "" {
		return "", usageError{fmt.Errorf("no password on stdin; send it as one line, e.g.: "+
			"printf '%%s\\n' \"$PASSWORD\" | lpm user passwd %s", user)}
	}
	if err := lpm.ValidatePassword(pw); err != nil {
		return "", usageError{err}
	}
	return pw, nil
}

// table writes aligned columns; the caller writes rows with tabs and calls
// flush.
func table(w io.Writer, header string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw
}

// when formats a time for a table, in UTC; "—" for none.
func when(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}
