package lpm

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// okrTolerance is how far apart two progress scores may be and still count
// as equal: the hand computations below are exact, the floating point is not.
const okrTolerance = 1e-9

func near(got, want float64) bool { return math.Abs(got-want) <= okrTolerance }

func TestKeyResultProgress(t *testing.T) {
	for _, tc := range []struct {
		name             string
		baseline, target float64
		value, want      float64
	}{
		// Rising target, baseline 20, target 60: a span of 40.
		{"rising: a quarter", 20, 60, 30, 0.25}, // (30 − 20) / 40 = 10 / 40
		{"rising: at the baseline", 20, 60, 20, 0},
		{"rising: half", 20, 60, 40, 0.5}, // 20 / 40
		{"rising: at the target", 20, 60, 60, 1},
		{"rising: past the target", 20, 60, 80, 1},    // 60 / 40 = 1.5, clamped to 1
		{"rising: below the baseline", 20, 60, 10, 0}, // −10 / 40 = −0.25, clamped to 0
		// Falling target: a lead time of 12 days brought down to 4, a span
		// of 4 − 12 = −8.
		{"falling: a quarter", 12, 4, 10, 0.25},            // (10 − 12) / −8 = −2 / −8
		{"falling: three quarters", 12, 4, 6, 0.75},        // (6 − 12) / −8 = −6 / −8
		{"falling: at the target", 12, 4, 4, 1},            // −8 / −8
		{"falling: past the target", 12, 4, 2, 1},          // −10 / −8 = 1.25, clamped to 1
		{"falling: worse than the baseline", 12, 4, 14, 0}, // 2 / −8 = −0.25, clamped to 0
		// Negative numbers, rising: −10 to 10, a span of 20.
		{"negative rising: a quarter", -10, 10, -5, 0.25},  // (−5 + 10) / 20 = 5 / 20
		{"negative rising: zero is half", -10, 10, 0, 0.5}, // 10 / 20
		{"negative rising: below", -10, 10, -20, 0},        // −10 / 20, clamped to 0
		// Negative numbers, falling: −5 to −20, a span of −15.
		{"negative falling: a fifth", -5, -20, -8, 0.2}, // (−8 + 5) / −15 = −3 / −15
		{"negative falling: at the target", -5, -20, -20, 1},
		{"negative falling: past the target", -5, -20, -26, 1},  // −21 / −15 = 1.4, clamped
		{"negative falling: above the baseline", -5, -20, 0, 0}, // 5 / −15 = −1/3, clamped
	} {
		k := KeyResult{Baseline: tc.baseline, Target: tc.target}
		if got := k.Progress(tc.value); !near(got, tc.want) {
			t.Errorf("%s: baseline %g, target %g: Progress(%g) = %g, want %g",
				tc.name, tc.baseline, tc.target, tc.value, got, tc.want)
		}
	}
}

func TestBandOf(t *testing.T) {
	for _, tc := range []struct {
		progress float64
		want     Band
	}{
		{0, Red},
		{0.39, Red},
		{math.Nextafter(0.4, 0), Red}, // the largest float below 0.4
		{0.4, Yellow},
		{0.69, Yellow},
		{math.Nextafter(0.7, 0), Yellow},
		{0.7, Green},
		{1, Green},
	} {
		if got := BandOf(tc.progress); got != tc.want {
			t.Errorf("BandOf(%v) = %s, want %s", tc.progress, got, tc.want)
		}
	}
}

func TestCheckInLatest(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 9, 0, 0, 0, time.UTC) }
	// The same instant as day(2), written in another zone: time.Time values
	// that are Equal but not ==.
	day2Paris := day(2).In(time.FixedZone("CET", 3600))

	for _, tc := range []struct {
		name string
		c, o *CheckIn
		want bool
	}{
		{"later At wins", &CheckIn{ID: 1, At: day(3)}, &CheckIn{ID: 9, At: day(2)}, true},
		{"earlier At loses despite a higher ID", &CheckIn{ID: 9, At: day(2)}, &CheckIn{ID: 1, At: day(3)}, false},
		{"equal At: higher ID wins", &CheckIn{ID: 5, At: day(2)}, &CheckIn{ID: 4, At: day(2)}, true},
		{"equal At: lower ID loses", &CheckIn{ID: 4, At: day(2)}, &CheckIn{ID: 5, At: day(2)}, false},
		{"same instant in another zone: higher ID wins", &CheckIn{ID: 5, At: day2Paris}, &CheckIn{ID: 4, At: day(2)}, true},
		{"same instant in another zone: lower ID loses", &CheckIn{ID: 4, At: day2Paris}, &CheckIn{ID: 5, At: day(2)}, false},
		{"itself is not later", &CheckIn{ID: 4, At: day(2)}, &CheckIn{ID: 4, At: day(2)}, false},
		{"nil other", &CheckIn{ID: 1, At: day(1)}, nil, true},
	} {
		if got := tc.c.Latest(tc.o); got != tc.want {
			t.Errorf("%s: Latest = %t, want %t", tc.name, got, tc.want)
		}
	}
}

// TestComputeOKRs works a theme out by hand.
//
// Objective 10 has two key results:
//   - KR 100, 0 → 100 %, weight 1. Check-ins (ID: day, value): 2: day 1, 90;
//     5: day 3, 40; 1: day 3, 70; 3: day 2, 100. Days 3 tie; ID 5 beats ID 1,
//     so the latest is ID 5: progress 40 / 100 = 0.4. (Taking the last in the
//     slice would give ID 3, 1.0; taking the highest ID alone, ID 5 too, so
//     KR 101 tells those apart.)
//   - KR 101, 12 → 4 days, weight 3. Check-ins: 4: day 5, 6; 6: day 4, 4;
//     7: day 1, 12. The latest by At is ID 4 (the highest ID, 7, is the
//     oldest): progress (6 − 12) / (4 − 12) = 0.75.
//
// Its progress, weighted: (1 × 0.4 + 3 × 0.75) / (1 + 3) = 2.65 / 4 = 0.6625
// (unweighted it would be 0.575).
//
// Objective 11 has no key result: no progress, and it is left out of the
// theme's mean.
//
// Objective 12 has two key results:
//   - KR 102, 0 → 50, weight 2, no check-in: progress 0, but its weight counts.
//   - KR 103, 0 → 10, weight 1. Check-in 8: day 2, 10: progress 1.
//
// Its progress: (2 × 0 + 1 × 1) / (2 + 1) = 1/3 (it would be 1 if KR 102 were
// skipped).
//
// The theme: the mean of the two objectives that have a progress,
// (0.6625 + 1/3) / 2 = 0.49791666… (it would be 0.33194… if objective 11
// counted as 0). A key result of an objective not in the list and a check-in
// of a key result not in the list change nothing.
func TestComputeOKRs(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 4, d, 0, 0, 0, 0, time.UTC) }
	theme := &StrategicTheme{ID: 7, PortfolioID: 1, Name: "Faster flow"}
	objectives := []*Objective{
		{ID: 10, ThemeID: 7, Title: "Ship more often"},
		{ID: 11, ThemeID: 7, Title: "Not measured yet"},
		{ID: 12, ThemeID: 7, Title: "Fewer incidents"},
	}
	keyResults := []*KeyResult{
		{ID: 100, ObjectiveID: 10, Title: "Automated tests", Unit: "%", Baseline: 0, Target: 100, Weight: 1},
		{ID: 102, ObjectiveID: 12, Title: "Runbooks", Unit: "count", Baseline: 0, Target: 50, Weight: 2},
		{ID: 101, ObjectiveID: 10, Title: "Lead time", Unit: "days", Baseline: 12, Target: 4, Weight: 3},
		{ID: 103, ObjectiveID: 12, Title: "Drills", Unit: "count", Baseline: 0, Target: 10, Weight: 1},
		{ID: 104, ObjectiveID: 99, Title: "Elsewhere", Unit: "%", Baseline: 0, Target: 1, Weight: 1},
	}
	checkIns := []*CheckIn{
		{ID: 2, KeyResultID: 100, At: day(1), Value: 90},
		{ID: 4, KeyResultID: 101, At: day(5), Value: 6},
		{ID: 5, KeyResultID: 100, At: day(3), Value: 40},
		{ID: 9, KeyResultID: 999, At: day(9), Value: 1},
		{ID: 1, KeyResultID: 100, At: day(3), Value: 70},
		{ID: 6, KeyResultID: 101, At: day(4), Value: 4},
		{ID: 8, KeyResultID: 103, At: day(2), Value: 10},
		{ID: 3, KeyResultID: 100, At: day(2), Value: 100},
		{ID: 10, KeyResultID: 104, At: day(1), Value: 1},
		{ID: 7, KeyResultID: 101, At: day(1), Value: 12},
	}

	tp := ComputeOKRs(theme, objectives, keyResults, checkIns)

	if tp.Theme != theme {
		t.Errorf("theme = %v, want the theme given", tp.Theme)
	}
	if len(tp.Objectives) != 3 {
		t.Fatalf("%d objectives, want 3", len(tp.Objectives))
	}
	for i, o := range objectives {
		if tp.Objectives[i].Objective != o {
			t.Errorf("objective %d = %v, want %v (the order given)", i, tp.Objectives[i].Objective, o)
		}
	}

	type kr struct {
		id       int64
		latest   int64 // 0 for none
		progress float64
	}
	for _, tc := range []struct {
		objective  int
		keyResults []kr
		progress   *float64
	}{
		{0, []kr{{100, 5, 0.4}, {101, 4, 0.75}}, ptr(0.6625)},
		{1, nil, nil},
		{2, []kr{{102, 0, 0}, {103, 8, 1}}, ptr(1.0 / 3)},
	} {
		op := tp.Objectives[tc.objective]
		id := op.Objective.ID
		var got []int64
		for _, k := range op.KeyResults {
			got = append(got, k.KeyResult.ID)
		}
		var want []int64
		for _, k := range tc.keyResults {
			want = append(want, k.id)
		}
		if !slices.Equal(got, want) {
			t.Errorf("objective %d: key results %v, want %v", id, got, want)
			continue
		}
		for i, k := range tc.keyResults {
			kp := op.KeyResults[i]
			switch {
			case k.latest == 0 && kp.Latest != nil:
				t.Errorf("objective %d, KR %d: latest check-in %d, want none", id, k.id, kp.Latest.ID)
			case k.latest != 0 && (kp.Latest == nil || kp.Latest.ID != k.latest):
				t.Errorf("objective %d, KR %d: latest check-in %+v, want ID %d", id, k.id, kp.Latest, k.latest)
			}
			if !near(kp.Progress, k.progress) {
				t.Errorf("objective %d, KR %d: progress %g, want %g", id, k.id, kp.Progress, k.progress)
			}
		}
		switch {
		case tc.progress == nil && op.Progress != nil:
			t.Errorf("objective %d: progress %g, want none", id, *op.Progress)
		case tc.progress != nil && op.Progress == nil:
			t.Errorf("objective %d: no progress, want %g", id, *tc.progress)
		case tc.progress != nil && !near(*op.Progress, *tc.progress):
			t.Errorf("objective %d: progress %g, want %g", id, *op.Progress, *tc.progress)
		}
	}

	if want := (0.6625 + 1.0/3) / 2; tp.Progress == nil || !near(*tp.Progress, want) {
		t.Errorf("theme progress = %v, want %g", deref(tp.Progress), want)
	}
	// And the band: 0.4979… is yellow.
	if tp.Progress != nil && BandOf(*tp.Progress) != Yellow {
		t.Errorf("theme band = %s, want yellow", BandOf(*tp.Progress))
	}
}

func TestComputeOKRsNothingMeasured(t *testing.T) {
	theme := &StrategicTheme{ID: 7, Name: "New"}
	tp := ComputeOKRs(theme, nil, nil, nil)
	if tp.Progress != nil || len(tp.Objectives) != 0 {
		t.Errorf("no objectives: progress %v, %d objectives; want none", deref(tp.Progress), len(tp.Objectives))
	}
	// Objectives without key results (and check-ins of unknown key results)
	// give the theme no progress either, rather than 0.
	tp = ComputeOKRs(theme, []*Objective{{ID: 1, Title: "A"}, {ID: 2, Title: "B"}}, nil,
		[]*CheckIn{{ID: 1, KeyResultID: 5, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Value: 3}})
	if tp.Progress != nil || len(tp.Objectives) != 2 {
		t.Errorf("no key results: progress %v, %d objectives; want none, 2", deref(tp.Progress), len(tp.Objectives))
	}
	for _, op := range tp.Objectives {
		if op.Progress != nil || len(op.KeyResults) != 0 {
			t.Errorf("objective %d: progress %v, %d key results; want none", op.Objective.ID, deref(op.Progress), len(op.KeyResults))
		}
	}
	// A key result without any check-in counts as 0, not as nothing.
	tp = ComputeOKRs(theme, []*Objective{{ID: 1, Title: "A"}},
		[]*KeyResult{{ID: 3, ObjectiveID: 1, Title: "K", Unit: "%", Baseline: 0, Target: 1, Weight: 1}}, nil)
	if tp.Progress == nil || *tp.Progress != 0 || tp.Objectives[0].Progress == nil || *tp.Objectives[0].Progress != 0 {
		t.Errorf("one key result, no check-in: theme %v, objective %v; want 0, 0",
			deref(tp.Progress), deref(tp.Objectives[0].Progress))
	}
}

func ptr[T any](v T) *T { return &v }

// deref shows a *float64 in messages: its value, or "nil".
func deref(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}

func TestObjectiveValidate(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	valid := func() Objective {
		return Objective{Title: "Ship more often", Description: "Line one\nline two\tand a tab",
			Owner: "alice", PeriodStart: &start, PeriodEnd: &end}
	}
	if o := valid(); o.Validate() != nil {
		t.Fatalf("valid objective: %v", o.Validate())
	}
	for _, tc := range []struct {
		name   string
		change func(*Objective)
		fields []string // nil: valid
	}{
		{"no title", func(o *Objective) { o.Title = "" }, []string{"title"}},
		{"blank title", func(o *Objective) { o.Title = "  \t " }, []string{"title"}},
		{"NUL in title", func(o *Objective) { o.Title = "Ship\x00more" }, []string{"title"}},
		{"line break in title", func(o *Objective) { o.Title = "Ship\nmore" }, []string{"title"}},
		{"title too long", func(o *Objective) { o.Title = strings.Repeat("é", MaxNameLen+1) }, []string{"title"}},
		{"title at the limit", func(o *Objective) { o.Title = strings.Repeat("é", MaxNameLen) }, nil},
		{"bell in description", func(o *Objective) { o.Description = "ding\a" }, []string{"description"}},
		{"control character in owner", func(o *Objective) { o.Owner = "al\x1bice" }, []string{"owner"}},
		{"no owner", func(o *Objective) { o.Owner = "" }, nil},
		{"end before start", func(o *Objective) { e := start.AddDate(0, 0, -1); o.PeriodEnd = &e }, []string{"period_end"}},
		{"end on start", func(o *Objective) { e := start; o.PeriodEnd = &e }, nil},
		{"only an end", func(o *Objective) { o.PeriodStart = nil }, nil},
		{"only a start", func(o *Objective) { o.PeriodEnd = nil }, nil},
		{"no dates", func(o *Objective) { o.PeriodStart, o.PeriodEnd = nil, nil }, nil},
	} {
		o := valid()
		tc.change(&o)
		err := o.Validate()
		checkViolations(t, tc.name, err, tc.fields)
	}
}

func TestKeyResultValidate(t *testing.T) {
	valid := func() KeyResult {
		return KeyResult{Title: "Lead time", Unit: "days", Baseline: 12, Target: 4, Weight: 1}
	}
	if k := valid(); k.Validate() != nil {
		t.Fatalf("valid key result: %v", k.Validate())
	}
	for _, tc := range []struct {
		name   string
		change func(*KeyResult)
		fields []string
	}{
		{"no title", func(k *KeyResult) { k.Title = "" }, []string{"title"}},
		{"no unit", func(k *KeyResult) { k.Unit = "" }, []string{"unit"}},
		{"blank unit", func(k *KeyResult) { k.Unit = " " }, []string{"unit"}},
		{"target equals baseline", func(k *KeyResult) { k.Target = 12 }, []string{"target"}},
		{"both zero", func(k *KeyResult) { k.Baseline, k.Target = 0, 0 }, []string{"target"}},
		{"rising target", func(k *KeyResult) { k.Baseline, k.Target = 4, 12 }, nil},
		{"negative numbers", func(k *KeyResult) { k.Baseline, k.Target = -5, -20 }, nil},
		{"NaN baseline", func(k *KeyResult) { k.Baseline = math.NaN() }, []string{"baseline"}},
		{"infinite baseline", func(k *KeyResult) { k.Baseline = math.Inf(-1) }, []string{"baseline"}},
		{"NaN target", func(k *KeyResult) { k.Target = math.NaN() }, []string{"target"}},
		{"infinite target", func(k *KeyResult) { k.Target = math.Inf(1) }, []string{"target"}},
		{"weight 0", func(k *KeyResult) { k.Weight = 0 }, []string{"weight"}},
		{"negative weight", func(k *KeyResult) { k.Weight = -1 }, []string{"weight"}},
		{"weight over the maximum", func(k *KeyResult) { k.Weight = MaxKeyResultWeight + 1 }, []string{"weight"}},
		{"weight just over the maximum", func(k *KeyResult) { k.Weight = math.Nextafter(MaxKeyResultWeight, 200) }, []string{"weight"}},
		{"NaN weight", func(k *KeyResult) { k.Weight = math.NaN() }, []string{"weight"}},
		{"weight at the maximum", func(k *KeyResult) { k.Weight = MaxKeyResultWeight }, nil},
		{"fractional weight", func(k *KeyResult) { k.Weight = 0.5 }, nil},
		{"several problems", func(k *KeyResult) { k.Title, k.Target, k.Weight = "", 12, 0 }, []string{"title", "target", "weight"}},
	} {
		k := valid()
		tc.change(&k)
		checkViolations(t, tc.name, k.Validate(), tc.fields)
	}
}

func TestCheckInValidate(t *testing.T) {
	valid := func() CheckIn {
		return CheckIn{KeyResultID: 1, At: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
			Value: 6, Confidence: 7, Status: OnTrack, Note: "Better\nthan hoped"}
	}
	if c := valid(); c.Validate() != nil {
		t.Fatalf("valid check-in: %v", c.Validate())
	}
	for _, tc := range []struct {
		name   string
		change func(*CheckIn)
		fields []string
	}{
		{"no At", func(c *CheckIn) { c.At = time.Time{} }, []string{"at"}},
		{"confidence 11", func(c *CheckIn) { c.Confidence = 11 }, []string{"confidence"}},
		{"confidence -1", func(c *CheckIn) { c.Confidence = -1 }, []string{"confidence"}},
		{"confidence 0", func(c *CheckIn) { c.Confidence = 0 }, nil},
		{"confidence 10", func(c *CheckIn) { c.Confidence = MaxConfidence }, nil},
		{"no status", func(c *CheckIn) { c.Status = "" }, []string{"status"}},
		{"unknown status", func(c *CheckIn) { c.Status = "done" }, []string{"status"}},
		{"status in capitals", func(c *CheckIn) { c.Status = "ON_TRACK" }, []string{"status"}},
		{"at risk", func(c *CheckIn) { c.Status = AtRisk }, nil},
		{"off track", func(c *CheckIn) { c.Status = OffTrack }, nil},
		{"NaN value", func(c *CheckIn) { c.Value = math.NaN() }, []string{"value"}},
		{"infinite value", func(c *CheckIn) { c.Value = math.Inf(1) }, []string{"value"}},
		{"negative value", func(c *CheckIn) { c.Value = -3.5 }, nil},
		{"note too long", func(c *CheckIn) { c.Note = strings.Repeat("x", MaxReasonLen+1) }, []string{"note"}},
		{"NUL in note", func(c *CheckIn) { c.Note = "a\x00b" }, []string{"note"}},
	} {
		c := valid()
		tc.change(&c)
		checkViolations(t, tc.name, c.Validate(), tc.fields)
	}
	// Every listed status is one Validate accepts, and there are three.
	if len(CheckInStatuses) != 3 {
		t.Errorf("CheckInStatuses = %v, want 3", CheckInStatuses)
	}
	for _, s := range CheckInStatuses {
		c := valid()
		c.Status = s
		if err := c.Validate(); err != nil {
			t.Errorf("status %s: %v", s, err)
		}
	}
}

// checkViolations checks that err is nil when fields is, and otherwise an
// invalid error naming exactly fields, in order (violationFields is in
// wsjf_test.go).
func checkViolations(t *testing.T, name string, err error, fields []string) {
	t.Helper()
	if fields == nil {
		if err != nil {
			t.Errorf("%s: %v, want valid", name, err)
		}
		return
	}
	if ErrorCodeOf(err) != EINVALID {
		t.Errorf("%s: error %v (code %q), want invalid", name, err, ErrorCodeOf(err))
		return
	}
	for _, f := range fields {
		if !hasViolation(err, f) {
			t.Errorf("%s: error %v, want a violation of %s", name, err, f)
		}
	}
	if got := violationFields(err); !slices.Equal(got, fields) {
		t.Errorf("%s: violations of %v, want exactly %v", name, got, fields)
	}
}

func TestObjectiveUpdateApply(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
	orig := Objective{ID: 10, ThemeID: 7, PortfolioID: 1, Title: "Ship more often",
		Description: "Why", Owner: "alice", PeriodStart: &start, PeriodEnd: &end}
	snapshot := orig
	unchanged := func(what string) {
		t.Helper()
		if orig.Title != snapshot.Title || orig.Description != snapshot.Description || orig.Owner != snapshot.Owner ||
			orig.PeriodStart != snapshot.PeriodStart || orig.PeriodEnd != snapshot.PeriodEnd ||
			!orig.PeriodStart.Equal(start) || !orig.PeriodEnd.Equal(end) {
			t.Errorf("%s changed the original: %+v", what, orig)
		}
	}

	// Nothing to change: an equal copy.
	got, err := ObjectiveUpdate{}.Apply(orig)
	if err != nil || got == nil || *got != orig {
		t.Errorf("empty update = %+v, %v; want %+v", got, err, orig)
	}

	newEnd := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	got, err = ObjectiveUpdate{Title: ptr("Ship daily"), Description: ptr(""), Owner: ptr("bob"), PeriodEnd: &newEnd}.Apply(orig)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	if got.Title != "Ship daily" || got.Description != "" || got.Owner != "bob" ||
		got.PeriodEnd == nil || !got.PeriodEnd.Equal(newEnd) || got.PeriodStart == nil || !got.PeriodStart.Equal(start) ||
		got.ID != 10 || got.ThemeID != 7 || got.PortfolioID != 1 {
		t.Errorf("update = %+v; want title, description, owner and end changed, the rest kept", got)
	}
	unchanged("an update")

	got, err = ObjectiveUpdate{ClearPeriodStart: true}.Apply(orig)
	if err != nil || got.PeriodStart != nil || got.PeriodEnd == nil || !got.PeriodEnd.Equal(end) {
		t.Errorf("clearing the start = %+v, %v; want no start, the end kept", got, err)
	}
	unchanged("clearing the start")

	got, err = ObjectiveUpdate{ClearPeriodEnd: true}.Apply(orig)
	if err != nil || got.PeriodEnd != nil || got.PeriodStart == nil || !got.PeriodStart.Equal(start) {
		t.Errorf("clearing the end = %+v, %v; want no end, the start kept", got, err)
	}
	unchanged("clearing the end")

	// Moving the start past the end is refused; so is clearing the title.
	late := end.AddDate(0, 0, 1)
	for _, tc := range []struct {
		name  string
		u     ObjectiveUpdate
		field string
	}{
		{"start after end", ObjectiveUpdate{PeriodStart: &late}, "period_end"},
		{"end before start", ObjectiveUpdate{PeriodEnd: ptr(start.AddDate(0, 0, -1))}, "period_end"},
		{"no title", ObjectiveUpdate{Title: ptr("")}, "title"},
		{"control character in owner", ObjectiveUpdate{Owner: ptr("b\x7fob")}, "owner"},
	} {
		got, err := tc.u.Apply(orig)
		if got != nil || ErrorCodeOf(err) != EINVALID || !hasViolation(err, tc.field) {
			t.Errorf("%s: %+v, %v; want nil and a violation of %s", tc.name, got, err, tc.field)
		}
		unchanged(tc.name)
	}
	// But moving the start past the end while clearing the end is fine.
	got, err = ObjectiveUpdate{PeriodStart: &late, ClearPeriodEnd: true}.Apply(orig)
	if err != nil || got.PeriodEnd != nil || got.PeriodStart == nil || !got.PeriodStart.Equal(late) {
		t.Errorf("new start, end cleared = %+v, %v", got, err)
	}
	unchanged("a new start with the end cleared")
}

func TestKeyResultUpdateApply(t *testing.T) {
	orig := KeyResult{ID: 101, ObjectiveID: 10, PortfolioID: 1, Title: "Lead time", Unit: "days",
		Baseline: 12, Target: 4, Weight: 3}
	snapshot := orig

	got, err := KeyResultUpdate{}.Apply(orig)
	if err != nil || got == nil || *got != orig {
		t.Errorf("empty update = %+v, %v; want %+v", got, err, orig)
	}

	got, err = KeyResultUpdate{Title: ptr("Cycle time"), Unit: ptr("hours"), Baseline: ptr(288.0),
		Target: ptr(96.0), Weight: ptr(2.5)}.Apply(orig)
	want := KeyResult{ID: 101, ObjectiveID: 10, PortfolioID: 1, Title: "Cycle time", Unit: "hours",
		Baseline: 288, Target: 96, Weight: 2.5}
	if err != nil || got == nil || *got != want {
		t.Errorf("update = %+v, %v; want %+v", got, err, want)
	}
	if orig != snapshot {
		t.Errorf("an update changed the original: %+v", orig)
	}
	// The new baseline and target change the progress of a value: 192 hours
	// is (192 − 288) / (96 − 288) = 0.5 of the way.
	if got != nil && !near(got.Progress(192), 0.5) {
		t.Errorf("progress after the update = %g, want 0.5", got.Progress(192))
	}

	for _, tc := range []struct {
		name  string
		u     KeyResultUpdate
		field string
	}{
		// The target set to the baseline, and the baseline set to the target.
		{"target equal to baseline", KeyResultUpdate{Target: ptr(12.0)}, "target"},
		{"baseline equal to target", KeyResultUpdate{Baseline: ptr(4.0)}, "target"},
		{"weight 0", KeyResultUpdate{Weight: ptr(0.0)}, "weight"},
		{"weight over the maximum", KeyResultUpdate{Weight: ptr(float64(MaxKeyResultWeight + 1))}, "weight"},
		{"NaN baseline", KeyResultUpdate{Baseline: ptr(math.NaN())}, "baseline"},
		{"no unit", KeyResultUpdate{Unit: ptr("")}, "unit"},
	} {
		got, err := tc.u.Apply(orig)
		if got != nil || ErrorCodeOf(err) != EINVALID || !hasViolation(err, tc.field) {
			t.Errorf("%s: %+v, %v; want nil and a violation of %s", tc.name, got, err, tc.field)
		}
		if orig != snapshot {
			t.Errorf("%s changed the original: %+v", tc.name, orig)
		}
	}
	// Swapping baseline and target in one update is fine: the target now
	// lies above the baseline.
	got, err = KeyResultUpdate{Baseline: ptr(4.0), Target: ptr(12.0)}.Apply(orig)
	if err != nil || got == nil || got.Baseline != 4 || got.Target != 12 {
		t.Errorf("swap = %+v, %v; want baseline 4, target 12", got, err)
	}
}

// By hand: A (implementing_mvp, MVP 300, full 1,000) counts 300, split
// between themes 1 and 2: 150 each. B (completed, full 2,002) counts 2,002
// for themes 2, 3 and 1: 667 each and the remaining unit to theme 1, the
// first by ID. C (implementing_persevere, full 500, no theme) counts 500 in
// the total only. D (pivoted after an MVP of 99) counts 99 for theme 3. E
// (ready) and F (declined) count nothing. Total 2,901: theme 1 has 818,
// theme 2 817, theme 3 766; their shares add up to 2,401 / 2,901, the rest
// is C's.
func TestSpendByTheme(t *testing.T) {
	epic := func(s State, r DoneReason, mvp, full int64, themes ...int64) *Epic {
		return &Epic{State: s, DoneReason: r, ThemeIDs: themes, Costs: Costs{MVPInternal: mvp, FullInternal: full - 1, FullSupplier: 1}}
	}
	got := SpendByTheme([]*Epic{
		epic(ImplementingMVP, "", 300, 1000, 2, 1),
		epic(Done, Completed, 400, 2002, 2, 3, 1),
		epic(ImplementingPersevere, "", 100, 500),
		epic(Done, Pivoted, 99, 700, 3),
		epic(Ready, "", 100, 900, 1),
		epic(Done, Declined, 0, 0, 1),
	})
	if got.Total != 2901 || got.ByTheme[1] != 818 || got.ByTheme[2] != 817 || got.ByTheme[3] != 766 {
		t.Errorf("spend = %+v, want total 2901, themes 818, 817, 766", got)
	}
	if s := got.Share(3); s < 766.0/2901-1e-12 || s > 766.0/2901+1e-12 {
		t.Errorf("share of theme 3 = %v", s)
	}
	if (ThemeSpend{}).Share(1) != 0 {
		t.Error("share of nothing")
	}
}
