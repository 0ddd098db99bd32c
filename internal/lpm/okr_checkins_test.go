package lpm

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

func TestCheckThemeCheckIns(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	krs := []*KeyResult{{ID: 1}, {ID: 2}}
	line := func(i int) string { return fmt.Sprintf("line %d", i+2) }
	good := []*CheckIn{{KeyResultID: 1, At: now.Add(-time.Hour)}, {KeyResultID: 2, At: now}}
	if err := CheckThemeCheckIns(7, krs, good, now, line); err != nil {
		t.Fatalf("good check-ins refused: %v", err)
	}
	bad := []*CheckIn{
		{KeyResultID: 1, At: now.Add(MaxCheckInAhead + time.Minute)},      // in the future
		{KeyResultID: 3, At: now},                                         // another theme's
		{KeyResultID: 2, At: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)}, // before 1970
	}
	err := CheckThemeCheckIns(7, krs, bad, now, line)
	if ErrorCodeOf(err) != EINVALID {
		t.Fatalf("bad check-ins: %v, want EINVALID", err)
	}
	var fields []string
	for _, v := range AsError(err).Violations {
		fields = append(fields, v.Field)
	}
	if want := []string{"line 2.at", "line 3.key_result_id", "line 4.at"}; !slices.Equal(fields, want) {
		t.Errorf("fields %q, want %q", fields, want)
	}
	if msg := AsError(err).Violations[1].Message; msg != "strategic theme 7 has no key result 3" {
		t.Errorf("message %q", msg)
	}
}
