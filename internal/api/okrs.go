package api

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"slices"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/lpm-project/lpm/internal/lpm"
)

// Objectives and key results of a strategic theme, and check-ins. Every
// route names the theme, so that a caller without a role in its portfolio
// is told the theme does not exist before anything else is looked at.

// objective is an objective in JSON.
type objective struct {
	ID          int64     `json:"id"`
	ThemeID     int64     `json:"theme_id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Owner       string    `json:"owner" doc:"User name of whoever answers for the objective; empty for none."`
	PeriodStart *date     `json:"period_start"`
	PeriodEnd   *date     `json:"period_end"`
	CreatedAt   time.Time `json:"created_at"`
}

func toObjective(o *lpm.Objective) objective {
	return objective{ID: o.ID, ThemeID: o.ThemeID, Title: o.Title, Description: o.Description, Owner: o.Owner,
		PeriodStart: datePtr(o.PeriodStart), PeriodEnd: datePtr(o.PeriodEnd), CreatedAt: o.CreatedAt}
}

// objectiveCreate is the body of POST /themes/{theme}/objectives.
type objectiveCreate struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Owner       string `json:"owner,omitempty" doc:"User name; must be a user."`
	PeriodStart *date  `json:"period_start,omitempty"`
	PeriodEnd   *date  `json:"period_end,omitempty"`
}

// objectivePatch is the body of PATCH /themes/{theme}/objectives/{objective}.
type objectivePatch struct {
	Title       *string      `json:"title,omitempty"`
	Description *string      `json:"description,omitempty"`
	Owner       *string      `json:"owner,omitempty" doc:"User name; empty for none."`
	PeriodStart nullableDate `json:"period_start,omitempty" doc:"null removes the date."`
	PeriodEnd   nullableDate `json:"period_end,omitempty" doc:"null removes the date."`
}

// keyResult is a key result in JSON.
type keyResult struct {
	ID          int64     `json:"id"`
	ObjectiveID int64     `json:"objective_id"`
	Title       string    `json:"title"`
	Unit        string    `json:"unit"`
	Baseline    float64   `json:"baseline"`
	Target      float64   `json:"target" doc:"May lie below the baseline, for results that should fall."`
	Weight      float64   `json:"weight" doc:"Share in the objective's progress, relative to the other key results."`
	CreatedAt   time.Time `json:"created_at"`
}

func toKeyResult(k *lpm.KeyResult) keyResult {
	return keyResult{ID: k.ID, ObjectiveID: k.ObjectiveID, Title: k.Title, Unit: k.Unit, Baseline: k.Baseline,
		Target: k.Target, Weight: k.Weight, CreatedAt: k.CreatedAt}
}

// keyResultCreate is the body of POST …/objectives/{objective}/key-results.
type keyResultCreate struct {
	Title    string   `json:"title"`
	Unit     string   `json:"unit" doc:"What the values count: %, days, EUR, incidents…"`
	Baseline float64  `json:"baseline"`
	Target   float64  `json:"target" doc:"Must differ from the baseline; may lie below it."`
	Weight   *float64 `json:"weight,omitempty" exclusiveMinimum:"0" maximum:"100" doc:"Default 1."`
}

// keyResultPatch is the body of PATCH /themes/{theme}/key-results/{key_result}.
type keyResultPatch struct {
	Title    *string  `json:"title,omitempty"`
	Unit     *string  `json:"unit,omitempty"`
	Baseline *float64 `json:"baseline,omitempty"`
	Target   *float64 `json:"target,omitempty"`
	Weight   *float64 `json:"weight,omitempty"`
}

// checkIn is a check-in in JSON.
type checkIn struct {
	ID          int64             `json:"id"`
	KeyResultID int64             `json:"key_result_id"`
	At          time.Time         `json:"at" doc:"When the value was measured."`
	Value       float64           `json:"value"`
	Confidence  int               `json:"confidence" doc:"0 to 10."`
	Status      checkInStatusName `json:"status"`
	Note        string            `json:"note"`
	By          string            `json:"by" doc:"Who recorded it."`
	RecordedAt  time.Time         `json:"recorded_at"`
}

func toCheckIn(c *lpm.CheckIn) checkIn {
	return checkIn{ID: c.ID, KeyResultID: c.KeyResultID, At: c.At, Value: c.Value, Confidence: c.Confidence,
		Status: checkInStatusName(c.Status), Note: c.Note, By: c.By, RecordedAt: c.RecordedAt}
}

// checkInCreate is one check-in of the body of POST /themes/{theme}/check-ins.
type checkInCreate struct {
	KeyResultID int64             `json:"key_result_id" minimum:"1"`
	At          *time.Time        `json:"at,omitempty" doc:"When the value was measured (RFC 3339); default now."`
	Value       float64           `json:"value"`
	Confidence  int               `json:"confidence" minimum:"0" maximum:"10" doc:"0 to 10."`
	Status      checkInStatusName `json:"status"`
	Note        string            `json:"note,omitempty"`
}

type checkInsCreate struct {
	CheckIns []checkInCreate `json:"check_ins" minItems:"1" maxItems:"500" doc:"Stored all or none."`
}

// checkInStatusName is how the person checking in judges a key result.
type checkInStatusName string

// Schema lists the statuses.
func (checkInStatusName) Schema(huma.Registry) *huma.Schema {
	return enumOf("How the person checking in judges the key result.", lpm.CheckInStatuses)
}

// keyResultProgress is a key result with its latest check-in and progress.
type keyResultProgress struct {
	keyResult
	Latest   *checkIn `json:"latest" doc:"The latest measurement; null before the first check-in."`
	Progress float64  `json:"progress" doc:"(latest − baseline) ÷ (target − baseline), from 0 to 1; 0 before the first check-in."`
	Band     string   `json:"band" doc:"red below 0.4, yellow below 0.7, green from 0.7."`
}

// objectiveProgress is an objective with its key results and progress.
type objectiveProgress struct {
	objective
	KeyResults []keyResultProgress `json:"key_results"`
	Progress   *float64            `json:"progress" doc:"The key results' progress weighted by weight; null without key results."`
	Band       *string             `json:"band"`
}

// themeOKRs is a theme's objectives and key results with their progress.
type themeOKRs struct {
	Theme      theme               `json:"theme"`
	Objectives []objectiveProgress `json:"objectives"`
	Progress   *float64            `json:"progress" doc:"The mean of the objectives that have key results; null while none has."`
	Band       *string             `json:"band"`
}

func bandOf(p *float64) *string {
	if p == nil {
		return nil
	}
	b := string(lpm.BandOf(*p))
	return &b
}

// The inputs below name their parameters field by field: huma ignores
// parameters in embedded structs of unexported types.

type themeBody[B any] struct {
	Theme int64 `path:"theme" minimum:"1" doc:"Strategic theme id."`
	Body  B
}

type objectiveBody[B any] struct {
	Theme     int64 `path:"theme" minimum:"1" doc:"Strategic theme id."`
	Objective int64 `path:"objective" minimum:"1" doc:"Objective id."`
	Body      B
}

type keyResultBody[B any] struct {
	Theme     int64 `path:"theme" minimum:"1" doc:"Strategic theme id."`
	KeyResult int64 `path:"key_result" minimum:"1" doc:"Key result id."`
	Body      B
}

type checkInListQuery struct {
	Theme     int64  `path:"theme" minimum:"1" doc:"Strategic theme id."`
	KeyResult int64  `path:"key_result" minimum:"1" doc:"Key result id."`
	Limit     int    `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Most check-ins to return."`
	Cursor    string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page; empty for the first page."`
}

type checkInsCSV struct {
	Theme       int64  `path:"theme" minimum:"1" doc:"Strategic theme id."`
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"text/csv"`
}

// visibleTheme loads a theme the caller may see.
func (a *apiServer) visibleTheme(ctx context.Context, id int64) (*lpm.StrategicTheme, error) {
	return visible(ctx, "strategic theme", id, a.st.FindThemeByID, func(t *lpm.StrategicTheme) int64 { return t.PortfolioID })
}

// themeObjective loads an objective of a theme the caller may see; an
// objective of another theme is not found.
func (a *apiServer) themeObjective(ctx context.Context, themeID, id int64) (*lpm.Objective, error) {
	if _, err := a.visibleTheme(ctx, themeID); err != nil {
		return nil, err
	}
	o, err := a.st.FindObjectiveByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load objective %d: %w", id, err)
	}
	if o.ThemeID != themeID {
		// Worded as for a missing one: the objective may be of a portfolio
		// the caller cannot see.
		return nil, lpm.Errorf(lpm.ENOTFOUND, "objective %d not found", id)
	}
	return o, nil
}

// themeKeyResult loads a key result of an objective of a theme the caller
// may see.
func (a *apiServer) themeKeyResult(ctx context.Context, themeID, id int64) (*lpm.KeyResult, error) {
	if _, err := a.visibleTheme(ctx, themeID); err != nil {
		return nil, err
	}
	k, err := a.st.FindKeyResultByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("load key result %d: %w", id, err)
	}
	o, err := a.st.FindObjectiveByID(ctx, k.ObjectiveID)
	if err != nil {
		return nil, fmt.Errorf("load objective %d: %w", k.ObjectiveID, err)
	}
	if o.ThemeID != themeID {
		return nil, lpm.Errorf(lpm.ENOTFOUND, "key result %d not found", id)
	}
	return k, nil
}

func (a *apiServer) getThemeOKRs(ctx context.Context, in *themePath) (*struct{ Body themeOKRs }, error) {
	t, err := a.visibleTheme(ctx, in.Theme)
	if err != nil {
		return nil, err
	}
	objectives, keyResults, latest, err := a.st.ThemeOKRs(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("read OKRs of theme %d: %w", t.ID, err)
	}
	tp := lpm.ComputeOKRs(t, objectives, keyResults, latest)
	out := themeOKRs{Theme: toTheme(t), Objectives: make([]objectiveProgress, len(tp.Objectives)), Progress: tp.Progress, Band: bandOf(tp.Progress)}
	for i, op := range tp.Objectives {
		o := objectiveProgress{objective: toObjective(op.Objective), KeyResults: make([]keyResultProgress, len(op.KeyResults)),
			Progress: op.Progress, Band: bandOf(op.Progress)}
		for j, kp := range op.KeyResults {
			k := keyResultProgress{keyResult: toKeyResult(kp.KeyResult), Progress: kp.Progress, Band: string(lpm.BandOf(kp.Progress))}
			if kp.Latest != nil {
				c := toCheckIn(kp.Latest)
				k.Latest = &c
			}
			o.KeyResults[j] = k
		}
		out.Objectives[i] = o
	}
	return &struct{ Body themeOKRs }{out}, nil
}

func (a *apiServer) createObjective(ctx context.Context, in *themeBody[objectiveCreate]) (*struct {
	Location string `header:"Location"`
	Body     objective
}, error) {
	if _, err := a.visibleTheme(ctx, in.Theme); err != nil {
		return nil, err
	}
	b := in.Body
	o := &lpm.Objective{ThemeID: in.Theme, Title: b.Title, Description: b.Description, Owner: b.Owner,
		PeriodStart: timePtr(b.PeriodStart), PeriodEnd: timePtr(b.PeriodEnd), CreatedAt: lpm.Now()}
	if err := a.st.CreateObjective(ctx, o, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create objective: %w", err)
	}
	return &struct {
		Location string `header:"Location"`
		Body     objective
	}{Location: fmt.Sprintf("%s/themes/%d/okrs", Prefix, in.Theme), Body: toObjective(o)}, nil
}

func (a *apiServer) patchObjective(ctx context.Context, in *objectiveBody[objectivePatch]) (*struct{ Body objective }, error) {
	if _, err := a.themeObjective(ctx, in.Theme, in.Objective); err != nil {
		return nil, err
	}
	b := in.Body
	upd := lpm.ObjectiveUpdate{Title: b.Title, Description: b.Description, Owner: b.Owner}
	upd.PeriodStart, upd.ClearPeriodStart = b.PeriodStart.update()
	upd.PeriodEnd, upd.ClearPeriodEnd = b.PeriodEnd.update()
	o, err := a.st.UpdateObjective(ctx, in.Objective, upd, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update objective %d: %w", in.Objective, err)
	}
	return &struct{ Body objective }{toObjective(o)}, nil
}

func (a *apiServer) createKeyResult(ctx context.Context, in *objectiveBody[keyResultCreate]) (*struct {
	Location string `header:"Location"`
	Body     keyResult
}, error) {
	if _, err := a.themeObjective(ctx, in.Theme, in.Objective); err != nil {
		return nil, err
	}
	b := in.Body
	k := &lpm.KeyResult{ObjectiveID: in.Objective, Title: b.Title, Unit: b.Unit, Baseline: b.Baseline, Target: b.Target,
		Weight: 1, CreatedAt: lpm.Now()}
	if b.Weight != nil {
		k.Weight = *b.Weight
	}
	if err := a.st.CreateKeyResult(ctx, k, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("create key result: %w", err)
	}
	return &struct {
		Location string `header:"Location"`
		Body     keyResult
	}{Location: fmt.Sprintf("%s/themes/%d/key-results/%d/check-ins", Prefix, in.Theme, k.ID), Body: toKeyResult(k)}, nil
}

func (a *apiServer) patchKeyResult(ctx context.Context, in *keyResultBody[keyResultPatch]) (*struct{ Body keyResult }, error) {
	if _, err := a.themeKeyResult(ctx, in.Theme, in.KeyResult); err != nil {
		return nil, err
	}
	b := in.Body
	k, err := a.st.UpdateKeyResult(ctx, in.KeyResult, lpm.KeyResultUpdate{Title: b.Title, Unit: b.Unit,
		Baseline: b.Baseline, Target: b.Target, Weight: b.Weight}, actorFrom(ctx))
	if err != nil {
		return nil, fmt.Errorf("update key result %d: %w", in.KeyResult, err)
	}
	return &struct{ Body keyResult }{toKeyResult(k)}, nil
}

func (a *apiServer) listCheckIns(ctx context.Context, in *checkInListQuery) (*struct{ Body page[checkIn] }, error) {
	if _, err := a.themeKeyResult(ctx, in.Theme, in.KeyResult); err != nil {
		return nil, err
	}
	list, next, err := a.st.FindCheckIns(ctx, in.KeyResult, lpm.Page{Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, fmt.Errorf("list check-ins of key result %d: %w", in.KeyResult, err)
	}
	return pageOf(list, next, toCheckIn), nil
}

// addCheckIns stores check-ins of key results of the theme, all or none.
func (a *apiServer) addCheckIns(ctx context.Context, in *themeBody[checkInsCreate]) (*struct{ Body page[checkIn] }, error) {
	now := lpm.Now()
	list := make([]*lpm.CheckIn, len(in.Body.CheckIns))
	for i, c := range in.Body.CheckIns {
		list[i] = &lpm.CheckIn{KeyResultID: c.KeyResultID, At: now, Value: c.Value, Confidence: c.Confidence,
			Status: lpm.CheckInStatus(c.Status), Note: c.Note}
		if c.At != nil {
			list[i].At = c.At.UTC()
		}
	}
	return a.storeCheckIns(ctx, in.Theme, list, func(i int) string { return fmt.Sprintf("check_ins[%d]", i) })
}

// storeCheckIns checks that every check-in is of a key result of the theme,
// then stores them all or none, and answers them as stored; place names
// the i-th check-in in a problem.
func (a *apiServer) storeCheckIns(ctx context.Context, themeID int64, list []*lpm.CheckIn, place func(i int) string) (*struct{ Body page[checkIn] }, error) {
	t, err := a.visibleTheme(ctx, themeID)
	if err != nil {
		return nil, err
	}
	// Who may record comes before what is wrong with the rows.
	if err := actorFrom(ctx).Authorize(lpm.ManageThemes, lpm.PortfolioTarget(t.PortfolioID)); err != nil {
		return nil, err
	}
	_, keyResults, _, err := a.st.ThemeOKRs(ctx, t.ID)
	if err != nil {
		return nil, fmt.Errorf("read key results of theme %d: %w", t.ID, err)
	}
	if err := lpm.CheckThemeCheckIns(t.ID, keyResults, list, lpm.Now(), place); err != nil {
		return nil, err
	}
	if err := a.st.AddCheckIns(ctx, t.PortfolioID, list, actorFrom(ctx)); err != nil {
		return nil, fmt.Errorf("add check-ins: %w", err)
	}
	return pageOf(list, "", toCheckIn), nil
}

// importCheckIns stores the check-ins of a CSV file (lpm.ParseCheckInsCSV),
// all or none.
func (a *apiServer) importCheckIns(ctx context.Context, in *checkInsCSV) (*struct{ Body page[checkIn] }, error) {
	t, err := a.visibleTheme(ctx, in.Theme)
	if err != nil {
		return nil, err
	}
	// Who may record comes before what is wrong with the file.
	if err := actorFrom(ctx).Authorize(lpm.ManageThemes, lpm.PortfolioTarget(t.PortfolioID)); err != nil {
		return nil, err
	}
	mt, params, err := mime.ParseMediaType(in.ContentType)
	if cs := params["charset"]; err != nil || mt != "text/csv" || (cs != "" && !strings.EqualFold(cs, "utf-8")) {
		return nil, newProblem(kindUnsupportedCT, "send the check-ins as UTF-8 CSV, with Content-Type: text/csv")
	}
	list, lines, err := lpm.ParseCheckInsCSV(bytes.NewReader(in.RawBody))
	if err != nil {
		return nil, err
	}
	return a.storeCheckIns(ctx, in.Theme, list, func(i int) string { return fmt.Sprintf("line %d", lines[i]) })
}

// themeEpics is what a theme page shows of the theme's epics.
type themeEpics struct {
	Theme   theme             `json:"theme"`
	Epics   []themeEpic       `json:"epics" doc:"Every epic linked to the theme, by id."`
	ByState map[string]int    `json:"by_state" doc:"How many of them are in each Kanban state."`
	Spend   themeSpendSummary `json:"spend"`
}

type themeEpic struct {
	ID            int64          `json:"id"`
	Key           string         `json:"key"`
	Title         string         `json:"title"`
	Type          epicTypeName   `json:"type"`
	State         stateName      `json:"state"`
	DoneReason    doneReasonName `json:"done_reason,omitempty"`
	EpicOwner     string         `json:"epic_owner"`
	CommittedCost int64          `json:"committed_cost" doc:"Minor units: the MVP's cost from implementing_mvp on (and when stopped or pivoted after it), the full cost once it persevered; 0 before implementation."`
}

type themeSpendSummary struct {
	Currency  string  `json:"currency"`
	Theme     int64   `json:"theme" doc:"The theme's part of the portfolio's committed cost, minor units: each epic's split evenly among its themes."`
	Portfolio int64   `json:"portfolio" doc:"The committed cost of every epic of the portfolio, minor units."`
	Share     float64 `json:"share" doc:"theme ÷ portfolio, from 0 to 1; 0 when nothing is committed."`
}

func (a *apiServer) getThemeEpics(ctx context.Context, in *themePath) (*struct{ Body themeEpics }, error) {
	t, err := a.visibleTheme(ctx, in.Theme)
	if err != nil {
		return nil, err
	}
	p, err := a.st.FindPortfolioByID(ctx, t.PortfolioID)
	if err != nil {
		return nil, fmt.Errorf("load portfolio %d: %w", t.PortfolioID, err)
	}
	all, err := a.allEpics(ctx, lpm.EpicFilter{PortfolioID: t.PortfolioID})
	if err != nil {
		return nil, err
	}
	spend := lpm.SpendByTheme(all)
	out := themeEpics{Theme: toTheme(t), Epics: []themeEpic{}, ByState: map[string]int{},
		Spend: themeSpendSummary{Currency: p.Currency, Theme: spend.ByTheme[t.ID], Portfolio: spend.Total, Share: spend.Share(t.ID)}}
	for _, s := range lpm.States {
		out.ByState[string(s)] = 0
	}
	for _, e := range all {
		if !slices.Contains(e.ThemeIDs, t.ID) {
			continue
		}
		out.ByState[string(e.State)]++
		out.Epics = append(out.Epics, themeEpic{ID: e.ID, Key: e.Key, Title: e.Title, Type: epicTypeName(e.Type),
			State: stateName(e.State), DoneReason: doneReasonName(e.DoneReason), EpicOwner: e.EpicOwner,
			CommittedCost: e.CommittedCost()})
	}
	return &struct{ Body themeEpics }{out}, nil
}
