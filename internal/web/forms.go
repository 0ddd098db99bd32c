package web

import (
	"github.com/lpm-project/lpm/internal/lpm"
)

// Helpers of the forms of the value streams, themes, tokens, users and
// settings pages.

// describeProblems turns violations into the form's sentences and the set of
// fields to mark invalid.
func describeProblems(problems []lpm.Violation) ([]string, map[string]bool) {
	var errs []string
	invalid := map[string]bool{}
	for _, pr := range problems {
		errs = append(errs, sentence(pr.Message)+".")
		if pr.Field != "" {
			invalid[pr.Field] = true
		}
	}
	return errs, invalid
}

// optionLabel is the label of value among options, the value itself when
// it is not one of them.
func optionLabel(options []option, value string) string {
	for _, o := range options {
		if o.Value == value {
			return o.Label
		}
	}
	return value
}
