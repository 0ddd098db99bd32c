package lpm

import (
	"fmt"
	"time"
)

// CheckThemeCheckIns checks check-ins about to be recorded through strategic
// theme themeID, whose key results are keyResults: each measured at a
// possible time (not ahead of now, not before 1970) and about a key result of
// that theme. place names the i-th check-in in the violations
// ("check_ins[0]", "line 3"), whose fields are place + ".at" and place +
// ".key_result_id". The store checks the rest as it adds them.
func CheckThemeCheckIns(themeID int64, keyResults []*KeyResult, list []*CheckIn, now time.Time, place func(i int) string) error {
	ofTheme := map[int64]bool{}
	for _, k := range keyResults {
		ofTheme[k.ID] = true
	}
	var bad []Violation
	for i, c := range list {
		if err := c.ValidateAt(now); err != nil {
			bad = append(bad, Violation{Field: place(i) + ".at", Rule: "range", Message: AsError(err).Message})
		}
		if !ofTheme[c.KeyResultID] {
			bad = append(bad, Violation{Field: place(i) + ".key_result_id", Rule: "exists",
				Message: fmt.Sprintf("strategic theme %d has no key result %d", themeID, c.KeyResultID)})
		}
	}
	if len(bad) > 0 {
		return &Error{Code: EINVALID, Message: "invalid check-ins", Violations: bad}
	}
	return nil
}
