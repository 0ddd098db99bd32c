package lpm

import (
	"strings"
	"time"
)

// The portfolio canvas (SAFe): a Business-Model-Canvas variant describing
// the portfolio, kept as a current state and named future-state candidates.
// Every save of a state is a new version, never rewritten; the vision text
// and the date the canvas was last reviewed are part of each version.

// CanvasKind tells the current state from a future-state candidate.
type CanvasKind string

// Canvas kinds.
const (
	CanvasCurrent CanvasKind = "current"
	CanvasFuture  CanvasKind = "future"
)

// CanvasKinds lists the kinds in the order documents show them.
var CanvasKinds = []CanvasKind{CanvasCurrent, CanvasFuture}

// CanvasSection is one section of the canvas: its key (API field and store
// column) and its label for people.
type CanvasSection struct {
	Key, Label string
}

// NumCanvasSections is how many sections a canvas has.
const NumCanvasSections = 12

// CanvasSections lists the sections in the order the canvas shows them.
var CanvasSections = [NumCanvasSections]CanvasSection{
	{"value_propositions", "Value propositions"},
	{"customers", "Customers"},
	{"channels", "Channels"},
	{"customer_relationships", "Customer relationships"},
	{"value_streams_solutions", "Value streams and solutions"},
	{"key_partners", "Key partners"},
	{"key_activities", "Key activities"},
	{"key_resources", "Key resources"},
	{"cost_structure", "Cost structure"},
	{"revenue_streams", "Revenue streams"},
	{"budget", "Budget"},
	{"kpis", "KPIs"},
}

// MaxCanvasSectionLen bounds the text of one section and of the vision.
const MaxCanvasSectionLen = MaxTextLen

// CanvasVersion is one saved version of a state of a portfolio's canvas.
type CanvasVersion struct {
	ID          int64
	PortfolioID int64
	// StateID is the state (current, or a candidate) the version belongs
	// to; Number counts the state's versions from 1.
	StateID int64
	Number  int
	Kind    CanvasKind
	// Name is the candidate's name; "" for the current state.
	Name string
	// Sections are the texts of CanvasSections, in that order.
	Sections [NumCanvasSections]string
	Vision   string
	// ReviewedOn is the date (UTC midnight) the canvas was last reviewed;
	// nil when never.
	ReviewedOn *time.Time
	// AdoptedFrom is the candidate version a current version was adopted
	// from; 0 for a version saved as such.
	AdoptedFrom int64
	SavedBy     string
	SavedAt     time.Time
	// RetiredAt is when the version's state, a candidate, was retired; nil
	// while it is live (and always for the current state).
	RetiredAt *time.Time
	// BasedOn, when not 0, is the number of the state's version the author
	// started editing from: the save is refused if someone has saved the
	// state since, so that no one's change is overwritten unseen. Not kept.
	BasedOn int
}

// Validate checks a version before it is stored.
func (v *CanvasVersion) Validate() error {
	var vs violations
	switch v.Kind {
	case CanvasCurrent:
		if v.Name != "" {
			vs.add("name", "empty", "the current state has no name; only future-state candidates are named")
		}
	case CanvasFuture:
		vs.checkName("name", v.Name)
	default:
		vs.add("kind", "enum", "kind must be current or future")
	}
	for i, s := range CanvasSections {
		vs.checkText(s.Key, v.Sections[i], MaxCanvasSectionLen)
	}
	vs.checkText("vision", v.Vision, MaxCanvasSectionLen)
	return vs.err(EINVALID, "invalid canvas version")
}

// CheckBase refuses a save of v that started from an older version of its
// state than latest, the number of the state's newest version (0: none).
func (v *CanvasVersion) CheckBase(latest int) error {
	if v.BasedOn == 0 || v.BasedOn == latest {
		return nil
	}
	if v.BasedOn > latest {
		return Errorf(ECONFLICT, "%s has no version %d to start from (its newest is version %d)", v.StateLabel(), v.BasedOn, latest)
	}
	return Errorf(ECONFLICT, "%s was saved by someone else since you started from version %d (it is now at version %d); "+
		"compare your text with version %d, then save again", v.StateLabel(), v.BasedOn, latest, latest)
}

// CheckLive refuses a new version of a retired candidate, or its adoption:
// it must be restored first, so that a retired idea does not come back
// unnoticed.
func (v *CanvasVersion) CheckLive(action string) error {
	if v.RetiredAt == nil {
		return nil
	}
	var vs violations
	vs.add("name", "live", "%s was retired on %s; restore it before you %s", v.StateLabel(), v.RetiredAt.UTC().Format("2006-01-02"), action)
	return vs.err(EINVALID, "retired canvas candidate")
}

// CheckAdoptable refuses to adopt v unless it is a future-state
// candidate's version, the candidate is live, and v is its newest version
// (newest, read with the state locked): a version saved since the page that
// offered v was read is not passed over unseen.
func (v *CanvasVersion) CheckAdoptable(newest *CanvasVersion) error {
	if v.Kind != CanvasFuture {
		var vs violations
		vs.add("version", "future", "version %d is of the current state; only a future-state candidate can be adopted", v.ID)
		return vs.err(EINVALID, "invalid canvas version")
	}
	if err := newest.CheckLive("adopt it"); err != nil {
		return err
	}
	if newest.ID != v.ID {
		return Errorf(ECONFLICT, "%s has a newer version (%d) than version %d: adopt the newest, or save the content of version %d as a new version first",
			v.StateLabel(), newest.Number, v.Number, v.Number)
	}
	return nil
}

// StateLabel names the version's state for people.
func (v *CanvasVersion) StateLabel() string {
	if v.Kind == CanvasCurrent {
		return "Current state"
	}
	return "Future state “" + v.Name + "”"
}

// AuditFields returns the audited fields of the canvas version.
func (v *CanvasVersion) AuditFields() Fields {
	f := Fields{"kind": string(v.Kind), "name": v.Name, "number": v.Number, "vision": v.Vision,
		"reviewed_on": dateOrNil(v.ReviewedOn), "adopted_from": v.AdoptedFrom}
	for i, s := range CanvasSections {
		f[s.Key] = v.Sections[i]
	}
	return f
}

// CanvasStateAuditFields are the audited fields of a candidate retired or
// restored.
func CanvasStateAuditFields(name string, retired bool) Fields {
	return Fields{"name": name, "retired": retired}
}

// CanvasValueStreamsText describes the value streams for the canvas's
// "Value streams and solutions" section, one line each, as they are now:
// "Lending (development value stream): solutions Loan portal, Scoring;
// ARTs Lending ART". A saved version keeps this text as it was, so later
// changes to the value streams do not rewrite the canvas's history.
func CanvasValueStreamsText(streams []*ValueStream) string {
	var b strings.Builder
	for _, v := range streams {
		b.WriteString(v.Name + " (" + string(v.Kind) + " value stream)")
		var parts []string
		if len(v.Solutions) > 0 {
			names := make([]string, len(v.Solutions))
			for i, s := range v.Solutions {
				names[i] = s.Name
			}
			parts = append(parts, "solutions "+strings.Join(names, ", "))
		}
		if len(v.ARTs) > 0 {
			names := make([]string, len(v.ARTs))
			for i, a := range v.ARTs {
				names[i] = a.Name
			}
			parts = append(parts, "ARTs "+strings.Join(names, ", "))
		}
		if len(parts) > 0 {
			b.WriteString(": " + strings.Join(parts, "; "))
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// CanvasRow compares one section (or the vision, or the review date) of two
// versions.
type CanvasRow struct {
	Key, Label string
	A, B       string
	Changed    bool
}

// CompareCanvas compares two versions section by section: every section,
// then the vision and the review date. Texts that differ only in trailing
// spaces or line ends count as the same.
func CompareCanvas(a, b *CanvasVersion) []CanvasRow {
	rows := make([]CanvasRow, 0, NumCanvasSections+2)
	add := func(key, label, x, y string) {
		rows = append(rows, CanvasRow{Key: key, Label: label, A: x, B: y, Changed: normalText(x) != normalText(y)})
	}
	for i, s := range CanvasSections {
		add(s.Key, s.Label, a.Sections[i], b.Sections[i])
	}
	add("vision", "Vision", a.Vision, b.Vision)
	date := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.Format("2006-01-02")
	}
	add("reviewed_on", "Last reviewed", date(a.ReviewedOn), date(b.ReviewedOn))
	return rows
}

func normalText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// CanvasReviewMonths is how long a canvas review holds: a quarter.
const CanvasReviewMonths = 3

// CanvasReviewDue returns the last day a review of the canvas on reviewed
// still holds: the same day three calendar months later, or the last day of
// that month when it is shorter (30 November is due on 28 February, or 29
// in a leap year).
func CanvasReviewDue(reviewed time.Time) time.Time {
	y, m, d := reviewed.Date()
	first := time.Date(y, m+CanvasReviewMonths, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC)
}

// CanvasReviewStale reports whether a canvas last reviewed on reviewed (nil:
// never) is older than a quarter on the date of now (UTC): true from the day
// after CanvasReviewDue.
func CanvasReviewStale(reviewed *time.Time, now time.Time) bool {
	if reviewed == nil {
		return true
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return today.After(CanvasReviewDue(*reviewed))
}

// CanvasVersionFilter narrows a list of versions to one state; Kind ""
// lists every version of the portfolio.
type CanvasVersionFilter struct {
	PortfolioID int64
	Kind        CanvasKind
	Name        string
	// NewestFirst lists the newest versions first (every state's, Kind "").
	NewestFirst bool
	Page        Page
}
