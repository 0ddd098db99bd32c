package lpm

import "testing"

func TestMay(t *testing.T) {
	for _, act := range []Action{ManagePortfolios, ConfigureKanban, OverrideWIP} {
		if err := (Actor{Name: "root", IsAdmin: true}).May(act); err != nil {
			t.Errorf("admin may not %s: %v", act, err)
		}
		if err := (Actor{Name: "amara"}).May(act); ErrorCodeOf(err) != EFORBIDDEN {
			t.Errorf("non-admin %s: got %v, want forbidden", act, err)
		}
	}
	if err := (Actor{Name: "amara"}).May("propose_epic"); err != nil {
		t.Errorf("an unrestricted action is refused: %v", err)
	}
}
