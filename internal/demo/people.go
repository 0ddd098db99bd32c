package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The people of the demo bank. Names are user names: the VMO lead runs the
// Kanban at the portfolio sync, the business owner takes the LPM decisions, the
// others own epics (the enterprise architect owns the enablers).
const (
	vmoLead       = "amara.okafor"
	businessOwner = "thomas.keller"
	architect     = "lukas.brandt"
)

// person is one demo user.
type person struct {
	name, displayName string
}

// people are created in this order; none is an admin, so that the demo's
// admin account stays the one the CLI creates.
var people = []person{
	{vmoLead, "Amara Okafor"},
	{businessOwner, "Thomas Keller"},
	{architect, "Lukas Brandt"},
	{"sofia.marques", "Sofia Marques"},
	{"jonas.weber", "Jonas Weber"},
	{"priya.raman", "Priya Raman"},
	{"mateo.garcia", "Mateo García"},
	{"elif.yilmaz", "Elif Yılmaz"},
}

// displayName is how history reasons name a person.
func displayName(name string) string {
	for _, p := range people {
		if p.name == name {
			return p.displayName
		}
	}
	return name
}

// createPeople stores the demo users.
func createPeople(ctx context.Context, st lpm.Store, since time.Time) error {
	for _, p := range people {
		u := &lpm.User{Name: p.name, DisplayName: p.displayName, CreatedAt: since}
		if err := u.Validate(); err != nil {
			return fmt.Errorf("demo user %s: %w", p.name, err)
		}
		if err := st.CreateUser(ctx, u); err != nil {
			return fmt.Errorf("create user %s: %w", p.name, err)
		}
	}
	return nil
}
