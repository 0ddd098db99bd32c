package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/lpm-project/lpm/internal/demo"
	"github.com/lpm-project/lpm/internal/lpm"
	"github.com/lpm-project/lpm/internal/store"
)

// loadDemo fills an empty store with the demo and an API token for its
// admin, and returns what to tell the person who asked for it once the
// address is known: what was loaded, who holds which role where, the
// password they all share, and the token.
func loadDemo(ctx context.Context, st *store.Store) (func(io.Writer, string), error) {
	sum, err := demo.Load(ctx, st, lpm.Now())
	if err != nil {
		return nil, err
	}
	roster, err := demoRoster(ctx, st)
	if err != nil {
		return nil, err
	}
	admin, err := st.FindUserByName(ctx, demo.Admin)
	if err != nil {
		return nil, fmt.Errorf("find the demo admin %s: %w", demo.Admin, err)
	}
	token, err := st.CreateToken(ctx, &lpm.Token{UserID: admin.ID, Name: "demo"}, lpm.SystemActor("demo"))
	if err != nil {
		return nil, fmt.Errorf("create a token for %s: %w", demo.Admin, err)
	}
	return func(w io.Writer, base string) {
		fmt.Fprintf(w, "lpm: demo loaded: %d portfolios, %d value streams, %d strategic themes with %d objectives, %d key results and %d check-ins, %d epics, %d users, %d role grants, %d transitions\n",
			sum.Portfolios, sum.ValueStreams, sum.Themes, sum.Objectives, sum.KeyResults, sum.CheckIns, sum.Epics, sum.Users, sum.Grants, sum.Transitions)
		fmt.Fprintf(w, "lpm: sign in at %s/sign-in as any demo user with the password %s\n", base, demo.Password)
		fmt.Fprint(w, roster)
		fmt.Fprintf(w, "lpm: API token of user %q (shown once): %s\n", demo.Admin, token)
		fmt.Fprintf(w, "lpm: try: curl -H \"Authorization: Bearer %s\" %s/api/v1/portfolios\n", token, base)
	}, nil
}

// demoRoster is a table of every user and the roles they hold in each
// portfolio, read back from the store.
func demoRoster(ctx context.Context, st *store.Store) (string, error) {
	ports, err := allPortfolios(ctx, st)
	if err != nil {
		return "", err
	}
	users, err := allUsers(ctx, st)
	if err != nil {
		return "", err
	}
	held := map[int64]map[string][]string{} // portfolio, user: roles
	header := []string{"USER"}
	for _, p := range ports {
		members, err := st.FindMembers(ctx, p.ID)
		if err != nil {
			return "", fmt.Errorf("list the members of %s: %w", p.Name, err)
		}
		held[p.ID] = map[string][]string{}
		for _, m := range members {
			held[p.ID][m.UserName] = append(held[p.ID][m.UserName], string(m.Role))
		}
		header = append(header, strings.ToUpper(p.Name))
	}
	var b bytes.Buffer
	tw := table(&b, "  "+strings.Join(header, "\t"))
	for _, u := range users {
		row := []string{u.Name}
		for _, p := range ports {
			switch roles := held[p.ID][u.Name]; {
			case u.IsAdmin:
				row = append(row, "site admin")
			case len(roles) == 0:
				row = append(row, "— (cannot see it)")
			default:
				row = append(row, strings.Join(roles, ", "))
			}
		}
		fmt.Fprintln(tw, "  "+strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return "", err
	}
	return "lpm: who holds which role where:\n" + b.String(), nil
}
