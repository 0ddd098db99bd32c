package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// The forms of the strategic themes page that keep a theme's OKRs: record a
// check-in of a key result, import check-ins from CSV (the format of the
// API's POST /themes/{t}/check-ins/csv), add an objective, add a key
// result. All need manage_themes, as in the API.

// okrForms are a theme's OKR forms, as typed, with what was wrong.
type okrForms struct {
	ThemeID int64
	// Objectives and KeyResults are the theme's, to choose from.
	Objectives, KeyResults []option
	Statuses               []option
	MaxConfidence          int
	Objective              objectiveForm
	KeyResult              keyResultForm
	CheckIn                checkInForm
	CSVErrors              []string
}

type objectiveForm struct {
	Title, Description, Owner, PeriodStart, PeriodEnd string
	Errors                                            []string
	Invalid                                           map[string]bool
}

type keyResultForm struct {
	Objective, Title, Unit, Baseline, Target, Weight string
	Errors                                           []string
	Invalid                                          map[string]bool
}

type checkInForm struct {
	KeyResult, Value, Confidence, Status, Note, At string
	Errors                                         []string
	Invalid                                        map[string]bool
}

// checkInStatuses are the choices of a check-in's status.
var checkInStatuses = func() []option {
	out := make([]option, len(lpm.CheckInStatuses))
	for i, s := range lpm.CheckInStatuses {
		out[i] = option{string(s), sentence(checkInStatusWords[s])}
	}
	return out
}()

// maxCSVBytes bounds an uploaded CSV of check-ins (with its form).
const maxCSVBytes = 2 << 20

// newOKRForms are the empty OKR forms of theme t.
func newOKRForms(t *lpm.StrategicTheme, objectives []*lpm.Objective, keyResults []*lpm.KeyResult) *okrForms {
	f := &okrForms{ThemeID: t.ID, Statuses: checkInStatuses, MaxConfidence: lpm.MaxConfidence,
		Objective: objectiveForm{Invalid: map[string]bool{}},
		KeyResult: keyResultForm{Weight: "1", Invalid: map[string]bool{}},
		CheckIn:   checkInForm{Status: string(lpm.OnTrack), Invalid: map[string]bool{}}}
	titles := map[int64]string{}
	for _, o := range objectives {
		titles[o.ID] = o.Title
		f.Objectives = append(f.Objectives, option{strconv.FormatInt(o.ID, 10), o.Title})
	}
	for _, k := range keyResults {
		f.KeyResults = append(f.KeyResults, option{strconv.FormatInt(k.ID, 10),
			fmt.Sprintf("%s: %s (%s, from %s to %s)", titles[k.ObjectiveID], k.Title, k.Unit, number(k.Baseline), number(k.Target))})
	}
	return f
}

// Open reports whether a form of f was refused, so that the page shows it
// open.
func (f *okrForms) Open() bool {
	return len(f.Objective.Errors)+len(f.KeyResult.Errors)+len(f.CheckIn.Errors)+len(f.CSVErrors) > 0
}

// okrTheme loads the theme named by the path value "theme" of portfolio p
// and checks that v may manage its OKRs; it answers the not-found page for a
// theme of another portfolio and 403 for someone who may not.
func (h *handler) okrTheme(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio) (*lpm.StrategicTheme, bool) {
	t, ok := pathObject(h, w, r, p, "theme", "the strategic theme", h.store.FindThemeByID,
		func(t *lpm.StrategicTheme) int64 { return t.PortfolioID })
	if !ok {
		return nil, false
	}
	if err := v.actor.Authorize(lpm.ManageThemes, lpm.PortfolioTarget(p.ID)); err != nil {
		h.failTo(w, r, http.StatusForbidden, "You may not change the OKRs of this theme", explain(err),
			link{fmt.Sprintf("/portfolios/%d/themes#theme-%d", p.ID, t.ID), "Back to the strategic themes"})
		return nil, false
	}
	return t, true
}

// okrForm is the start of every OKR form's handler: the viewer, the
// portfolio and the theme.
func (h *handler) okrForm(w http.ResponseWriter, r *http.Request) (*viewer, *lpm.Portfolio, *lpm.StrategicTheme, bool) {
	v, ok := h.signedIn(w, r)
	if !ok {
		return nil, nil, nil, false
	}
	p, ok := h.portfolio(w, r, v)
	if !ok {
		return nil, nil, nil, false
	}
	t, ok := h.okrTheme(w, r, v, p)
	if !ok {
		return nil, nil, nil, false
	}
	return v, p, t, true
}

// okrDone ends a form that stored what it said: back to the theme, with a
// notice.
func (h *handler) okrDone(w http.ResponseWriter, r *http.Request, p *lpm.Portfolio, t *lpm.StrategicTheme, msg string) {
	h.notify(w, r, msg)
	http.Redirect(w, r, fmt.Sprintf("/portfolios/%d/themes#theme-%d", p.ID, t.ID), http.StatusSeeOther)
}

// okrRefused shows the themes page again with a theme's form as typed and
// its problems, 422.
func (h *handler) okrRefused(w http.ResponseWriter, r *http.Request, v *viewer, p *lpm.Portfolio, t *lpm.StrategicTheme, set func(*okrForms)) {
	h.renderThemesWith(w, r, v, p, http.StatusUnprocessableEntity, themeForm{Status: string(lpm.ThemeActive)}, t.ID, set)
}

// optionalDate reads a date field; problems get what is wrong.
func optionalDate(field, words, s string, problems *[]lpm.Violation) *time.Time {
	if s == "" {
		return nil
	}
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		*problems = append(*problems, lpm.Violation{Field: field, Message: words + " must be a date such as 2025-01-31"})
		return nil
	}
	return &d
}

// readNumber reads a number field; problems get what is wrong.
func readNumber(field, words, s string, problems *[]lpm.Violation) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		*problems = append(*problems, lpm.Violation{Field: field, Message: fmt.Sprintf("%s must be a number such as 12.5, got %q", words, s)})
	}
	return f
}

// createObjective adds an objective to a theme.
func (h *handler) createObjective(w http.ResponseWriter, r *http.Request) {
	v, p, t, ok := h.okrForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	form := objectiveForm{Title: f.Get("title"), Description: f.Get("description"), Owner: strings.TrimSpace(f.Get("owner")),
		PeriodStart: strings.TrimSpace(f.Get("period_start")), PeriodEnd: strings.TrimSpace(f.Get("period_end"))}
	var problems []lpm.Violation
	o := lpm.Objective{ThemeID: t.ID, Title: strings.TrimSpace(form.Title), Description: form.Description, Owner: form.Owner,
		PeriodStart: optionalDate("period_start", "The start of the period", form.PeriodStart, &problems),
		PeriodEnd:   optionalDate("period_end", "The end of the period", form.PeriodEnd, &problems), CreatedAt: lpm.Now()}
	if len(problems) == 0 {
		err := h.store.CreateObjective(r.Context(), &o, v.actor)
		if err == nil {
			h.okrDone(w, r, p, t, fmt.Sprintf("Objective %s added to %s.", o.Title, t.Name))
			return
		}
		if h.storeFailed(w, r, "store the objective", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.okrRefused(w, r, v, p, t, func(f *okrForms) { f.Objective = form })
}

// createKeyResult adds a key result to an objective of a theme.
func (h *handler) createKeyResult(w http.ResponseWriter, r *http.Request) {
	v, p, t, ok := h.okrForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	form := keyResultForm{Objective: f.Get("objective"), Title: f.Get("title"), Unit: f.Get("unit"),
		Baseline: f.Get("baseline"), Target: f.Get("target"), Weight: f.Get("weight")}
	var problems []lpm.Violation
	k := lpm.KeyResult{Title: strings.TrimSpace(form.Title), Unit: strings.TrimSpace(form.Unit), Weight: 1, CreatedAt: lpm.Now()}
	k.Baseline = readNumber("baseline", "The baseline", form.Baseline, &problems)
	k.Target = readNumber("target", "The target", form.Target, &problems)
	if strings.TrimSpace(form.Weight) != "" {
		k.Weight = readNumber("weight", "The weight", form.Weight, &problems)
	}
	id, err := strconv.ParseInt(form.Objective, 10, 64)
	if err == nil {
		var o *lpm.Objective
		o, err = h.store.FindObjectiveByID(r.Context(), id)
		if err != nil && lpm.ErrorCodeOf(err) != lpm.ENOTFOUND {
			h.internalError(w, r, "load the objective", err)
			return
		}
		if err == nil && o.ThemeID != t.ID {
			err = errors.New("objective of another theme")
		}
	}
	if err != nil {
		problems = append(problems, lpm.Violation{Field: "objective", Message: "choose one of the theme's objectives"})
	}
	k.ObjectiveID = id
	if len(problems) == 0 {
		err := h.store.CreateKeyResult(r.Context(), &k, v.actor)
		if err == nil {
			h.okrDone(w, r, p, t, fmt.Sprintf("Key result %s added to %s.", k.Title, t.Name))
			return
		}
		if h.storeFailed(w, r, "store the key result", err, &problems) {
			return
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.okrRefused(w, r, v, p, t, func(f *okrForms) { f.KeyResult = form })
}

// recordCheckIn records one check-in of a key result of the theme.
func (h *handler) recordCheckIn(w http.ResponseWriter, r *http.Request) {
	v, p, t, ok := h.okrForm(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	form := checkInForm{KeyResult: f.Get("key_result"), Value: f.Get("value"), Confidence: f.Get("confidence"),
		Status: f.Get("status"), Note: f.Get("note"), At: strings.TrimSpace(f.Get("at"))}
	var problems []lpm.Violation
	now := lpm.Now()
	c := &lpm.CheckIn{At: now, Status: lpm.CheckInStatus(form.Status), Note: form.Note}
	c.Value = readNumber("value", "The value", form.Value, &problems)
	var err error
	if c.Confidence, err = strconv.Atoi(strings.TrimSpace(form.Confidence)); err != nil {
		problems = append(problems, lpm.Violation{Field: "confidence",
			Message: fmt.Sprintf("the confidence must be a whole number from 0 to %d", lpm.MaxConfidence)})
	}
	if at := optionalDate("at", "The day measured", form.At, &problems); at != nil {
		c.At = *at
	}
	if c.KeyResultID, err = strconv.ParseInt(form.KeyResult, 10, 64); err != nil {
		problems = append(problems, lpm.Violation{Field: "key_result", Message: "choose one of the theme's key results"})
	}
	if len(problems) == 0 {
		err := h.addCheckIns(r, v, t, []*lpm.CheckIn{c}, now, func(int) string { return "check_in" })
		if err == nil {
			h.okrDone(w, r, p, t, "Check-in recorded.")
			return
		}
		if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
			h.internalError(w, r, "store the check-in", err)
			return
		}
		for _, vi := range asViolations(err) {
			if _, field, ok := strings.Cut(vi.Field, "."); ok {
				vi.Field = field
			}
			if vi.Field == "key_result_id" {
				vi.Field, vi.Message = "key_result", "choose one of the theme's key results"
			}
			problems = append(problems, vi)
		}
	}
	form.Errors, form.Invalid = describeProblems(problems)
	h.okrRefused(w, r, v, p, t, func(f *okrForms) { f.CheckIn = form })
}

// addCheckIns checks check-ins against the theme and stores them, as the
// API does.
func (h *handler) addCheckIns(r *http.Request, v *viewer, t *lpm.StrategicTheme, list []*lpm.CheckIn, now time.Time, place func(int) string) error {
	_, keyResults, _, err := h.store.ThemeOKRs(r.Context(), t.ID)
	if err != nil {
		return fmt.Errorf("read the key results of theme %d: %w", t.ID, err)
	}
	if err := lpm.CheckThemeCheckIns(t.ID, keyResults, list, now, place); err != nil {
		return err
	}
	return h.store.AddCheckIns(r.Context(), t.PortfolioID, list, v.actor)
}

// importCheckIns records the check-ins of an uploaded CSV file, all or
// none; each problem names its line.
func (h *handler) importCheckIns(w http.ResponseWriter, r *http.Request) {
	// The form is multipart: read it (bounded) before signedIn, which then
	// finds the CSRF token in it; but only for a session, so that no one
	// signed out has an upload read (signedIn sends them to sign in).
	if s, _, err := h.findSession(r, true); err == nil && s != nil {
		r.Body = http.MaxBytesReader(w, r.Body, maxCSVBytes)
		if err := r.ParseMultipartForm(maxCSVBytes); err != nil {
			h.fail(w, r, http.StatusBadRequest, "Upload not readable",
				fmt.Sprintf("lpm could not read the file you sent. A CSV of check-ins may be up to %d MiB; send it with the form on the strategic themes page.", maxCSVBytes>>20))
			return
		}
		defer func() { _ = r.MultipartForm.RemoveAll() }()
	}
	v, p, t, ok := h.okrForm(w, r)
	if !ok {
		return
	}
	refuse := func(errs []string) {
		h.okrRefused(w, r, v, p, t, func(f *okrForms) { f.CSVErrors = errs })
	}
	file, _, err := r.FormFile("csv")
	if err != nil {
		refuse([]string{"Choose a CSV file to import."})
		return
	}
	defer file.Close()
	list, lines, err := lpm.ParseCheckInsCSV(file)
	if err == nil {
		err = h.addCheckIns(r, v, t, list, lpm.Now(), func(i int) string { return fmt.Sprintf("line %d", lines[i]) })
		if err == nil {
			h.okrDone(w, r, p, t, fmt.Sprintf("%d check-ins imported.", len(list)))
			return
		}
	}
	if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
		h.internalError(w, r, "store the check-ins", err)
		return
	}
	refuse(csvProblems(err, lines))
}

// csvProblems says each problem of an import, starting with its line:
// "Line 3: value must be a number, got "x"." The store names check-ins by
// their place in the list, lines[i] their line.
func csvProblems(err error, lines []int) []string {
	e := lpm.AsError(err)
	if e == nil || len(e.Violations) == 0 {
		return []string{explain(err)}
	}
	var out []string
	for _, vi := range e.Violations {
		where, _, _ := strings.Cut(vi.Field, ".")
		var i int
		if _, serr := fmt.Sscanf(where, "check_ins[%d]", &i); serr == nil && i >= 0 && i < len(lines) {
			where = fmt.Sprintf("line %d", lines[i])
		}
		switch {
		case strings.HasPrefix(where, "line "), where == "header":
			out = append(out, sentence(where)+": "+vi.Message+".")
		default:
			out = append(out, sentence(vi.Message)+".")
		}
	}
	return out
}
