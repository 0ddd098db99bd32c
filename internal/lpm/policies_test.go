package lpm

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecisionFits(t *testing.T) {
	allowed := map[DecisionKind][]State{
		DecisionAdvanceToAnalyzing: {Reviewing},
		DecisionGo:                 {Analyzing},
		DecisionNoGo:               {Reviewing, Analyzing},
		DecisionMVPEvaluation:      {ImplementingMVP},
		DecisionPersevere:          {ImplementingMVP},
		DecisionPivot:              {ImplementingMVP},
		DecisionStop:               {ImplementingMVP},
		DecisionComplete:           {ImplementingPersevere},
	}
	for kind, states := range allowed {
		for _, s := range States {
			err := DecisionFits(kind, s)
			want := false
			for _, x := range states {
				want = want || x == s
			}
			if (err == nil) != want {
				t.Errorf("DecisionFits(%s, %s) = %v, want allowed %v", kind, s, err, want)
			}
			if err != nil && (ErrorCodeOf(err) != EINVALID || violationFields(err)[0] != "kind") {
				t.Errorf("DecisionFits(%s, %s): %v, want an invalid kind", kind, s, err)
			}
		}
	}
}

// Text that is not UTF-8 (Latin-1 from a CSV, a raw query) is refused
// everywhere, as PostgreSQL would refuse it: both stores answer alike.
func TestInvalidUTF8(t *testing.T) {
	e := validEpic()
	e.Title = "caf\xe9"
	e.Description = "\xff"
	e.Hypothesis.NFRs = []string{"ok", "\xfe"}
	want := []string{"title", "description", "hypothesis.nfrs"}
	if diff := cmp.Diff(want, violationFields(e.Validate())); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
}

func TestControlCharacters(t *testing.T) {
	e := validEpic()
	e.Title = "tab\tin a title"
	e.Description = "line one\nline two\ttabbed"
	e.Hypothesis.NFRs = []string{"bell \a"}
	e.MVPDescription = "nul \x00"
	want := []string{"title", "hypothesis.nfrs", "mvp_description"}
	if diff := cmp.Diff(want, violationFields(e.Validate())); diff != "" {
		t.Errorf("violations (-want +got):\n%s", diff)
	}
	for q, ok := range map[string]bool{"Überweisung": true, "": true, "a\x00b": false, "new\nline": false, "caf\xe9": false} {
		if err := ValidateSearch("q", q); (err == nil) != ok {
			t.Errorf("ValidateSearch(%q) = %v, want ok %v", q, err, ok)
		}
	}
}
