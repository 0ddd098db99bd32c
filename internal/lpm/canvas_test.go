package lpm

import (
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestCanvasReviewDue: computed by hand, three calendar months on, the day
// clamped to the end of a shorter month.
func TestCanvasReviewDue(t *testing.T) {
	for _, tt := range []struct{ reviewed, due string }{
		{"2025-01-15", "2025-04-15"},
		{"2024-11-30", "2025-02-28"}, // February of a common year
		{"2023-11-30", "2024-02-29"}, // February of a leap year
		{"2023-11-29", "2024-02-29"},
		{"2024-11-29", "2025-02-28"},
		{"2024-08-31", "2024-11-30"}, // November has 30 days
		{"2024-12-31", "2025-03-31"}, // across the year
		{"2024-10-31", "2025-01-31"},
		{"2024-02-29", "2024-05-29"}, // from a leap day
		{"2099-11-30", "2100-02-28"}, // 2100 is no leap year
		{"2099-12-01", "2100-03-01"},
	} {
		if got := CanvasReviewDue(date(tt.reviewed)).Format("2006-01-02"); got != tt.due {
			t.Errorf("reviewed %s: due %s, want %s", tt.reviewed, got, tt.due)
		}
	}
}

func TestCanvasReviewStale(t *testing.T) {
	at := func(s string) time.Time { return date(s).Add(23*time.Hour + 59*time.Minute) }
	for _, tt := range []struct {
		reviewed, now string
		stale         bool
	}{
		{"2024-11-30", "2025-02-28", false},
		{"2024-11-30", "2025-03-01", true},
		{"2023-11-30", "2024-02-29", false},
		{"2023-11-30", "2024-03-01", true},
		{"2025-01-15", "2025-04-15", false},
		{"2025-01-15", "2025-04-16", true},
		{"2025-01-15", "2025-01-15", false},
	} {
		r := date(tt.reviewed)
		if got := CanvasReviewStale(&r, at(tt.now)); got != tt.stale {
			t.Errorf("reviewed %s, on %s: stale %v, want %v", tt.reviewed, tt.now, got, tt.stale)
		}
	}
	if !CanvasReviewStale(nil, at("2025-01-01")) {
		t.Error("a canvas never reviewed is not flagged")
	}
}

func TestCanvasValidate(t *testing.T) {
	ok := CanvasVersion{Kind: CanvasCurrent}
	if err := ok.Validate(); err != nil {
		t.Errorf("an empty current state: %v", err)
	}
	for name, v := range map[string]CanvasVersion{
		"unknown kind":          {Kind: "past"},
		"named current":         {Kind: CanvasCurrent, Name: "x"},
		"unnamed candidate":     {Kind: CanvasFuture},
		"control in name":       {Kind: CanvasFuture, Name: "a\nb"},
		"control in section":    {Kind: CanvasCurrent, Sections: [NumCanvasSections]string{"a\x00"}},
		"long vision":           {Kind: CanvasCurrent, Vision: strings.Repeat("é", MaxCanvasSectionLen+1)},
		"invalid UTF-8 in kpis": {Kind: CanvasCurrent, Sections: [NumCanvasSections]string{11: "\xff"}},
	} {
		if ErrorCodeOf(v.Validate()) != EINVALID {
			t.Errorf("%s: not refused", name)
		}
	}
	long := CanvasVersion{Kind: CanvasCurrent, Vision: strings.Repeat("é", MaxCanvasSectionLen), Sections: [NumCanvasSections]string{"line\n\tnext"}}
	if err := long.Validate(); err != nil {
		t.Errorf("at the limit, with line breaks: %v", err)
	}
}

func TestCompareCanvas(t *testing.T) {
	r := date("2025-01-02")
	a := &CanvasVersion{Vision: "Go", Sections: [NumCanvasSections]string{"x", "y  \r\n"}}
	b := &CanvasVersion{Vision: "Go further", ReviewedOn: &r, Sections: [NumCanvasSections]string{"x", "y", 11: "NPS"}}
	rows := CompareCanvas(a, b)
	if len(rows) != NumCanvasSections+2 {
		t.Fatalf("%d rows", len(rows))
	}
	changed := map[string]bool{}
	for _, row := range rows {
		if row.Changed {
			changed[row.Key] = true
		}
	}
	want := map[string]bool{"kpis": true, "vision": true, "reviewed_on": true}
	if len(changed) != len(want) {
		t.Errorf("changed %v, want %v", changed, want)
	}
	for k := range want {
		if !changed[k] {
			t.Errorf("%s not marked changed", k)
		}
	}
	if rows[13].B != "2025-01-02" || rows[13].A != "" {
		t.Errorf("review date row %+v", rows[13])
	}
}

func TestCanvasCheckBase(t *testing.T) {
	for _, c := range []struct {
		basedOn, latest int
		refused         bool
	}{
		{0, 0, false}, {0, 5, false}, // no base given: never refused
		{3, 3, false}, // started from the newest
		{2, 3, true},  // someone saved version 3 meanwhile
		{4, 3, true},  // a version that does not exist
		{1, 0, true},  // a state with no version yet
	} {
		v := &CanvasVersion{Kind: CanvasCurrent, BasedOn: c.basedOn}
		err := v.CheckBase(c.latest)
		if refused := err != nil; refused != c.refused || (refused && ErrorCodeOf(err) != ECONFLICT) {
			t.Errorf("based on %d, newest %d: %v, want refused %v", c.basedOn, c.latest, err, c.refused)
		}
	}
}

func TestCanvasValueStreamsText(t *testing.T) {
	streams := []*ValueStream{
		{Name: "Lending", Kind: Development, Solutions: []Solution{{Name: "Loan portal"}, {Name: "Scoring"}}, ARTs: []ART{{Name: "Lending ART"}}},
		{Name: "Onboarding", Kind: Operational},
		{Name: "Payments", Kind: Development, ARTs: []ART{{Name: "Pay ART"}, {Name: "Rails ART"}}},
	}
	want := "Lending (development value stream): solutions Loan portal, Scoring; ARTs Lending ART\n" +
		"Onboarding (operational value stream)\n" +
		"Payments (development value stream): ARTs Pay ART, Rails ART"
	if got := CanvasValueStreamsText(streams); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := CanvasValueStreamsText(nil); got != "" {
		t.Errorf("no value streams: %q", got)
	}
}

func TestCanvasCheckAdoptable(t *testing.T) {
	retired := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	v1 := &CanvasVersion{ID: 1, Kind: CanvasFuture, Name: "Next", Number: 1}
	v2 := &CanvasVersion{ID: 2, Kind: CanvasFuture, Name: "Next", Number: 2}
	v2retired := &CanvasVersion{ID: 2, Kind: CanvasFuture, Name: "Next", Number: 2, RetiredAt: &retired}
	cur := &CanvasVersion{ID: 3, Kind: CanvasCurrent, Number: 1}
	for _, c := range []struct {
		name      string
		v, newest *CanvasVersion
		want      ErrorCode
	}{
		{"the newest", v2, v2, ""},
		{"an older one", v1, v2, ECONFLICT},
		{"of a retired candidate", v2, v2retired, EINVALID},
		{"of the current state", cur, cur, EINVALID},
	} {
		err := c.v.CheckAdoptable(c.newest)
		if got := ErrorCodeOf(err); (err == nil) != (c.want == "") || (err != nil && got != c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
