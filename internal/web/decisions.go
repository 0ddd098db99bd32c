package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lpm-project/lpm/internal/lpm"
)

// decisionForm is the epic page's form for recording a portfolio decision
// (go, no-go, persevere, the MVP evaluation…), which the Kanban's moves
// rest on.
type decisionForm struct {
	Kinds     []option
	Outcomes  []option
	Kind      string
	Outcome   string
	Rationale string
	Errors    []string
}

// decisionKindTitles say what each decision decides, for the form.
var decisionKindTitles = map[lpm.DecisionKind]string{
	lpm.DecisionAdvanceToAnalyzing: "Advance to analyzing",
	lpm.DecisionGo:                 "Go (approve for implementation)",
	lpm.DecisionNoGo:               "No-go",
	lpm.DecisionMVPEvaluation:      "MVP evaluation",
	lpm.DecisionPersevere:          "Persevere",
	lpm.DecisionPivot:              "Pivot",
	lpm.DecisionStop:               "Stop",
	lpm.DecisionComplete:           "Complete",
}

// newDecisionForm offers the decisions the viewer may record about e in its
// current column; nil when there are none.
func newDecisionForm(v *viewer, e *lpm.Epic) *decisionForm {
	f := &decisionForm{Outcomes: []option{{lpm.MVPProven, "proven"}, {lpm.MVPDisproven, "disproven"}, {lpm.MVPInconclusive, "inconclusive"}}}
	for _, k := range lpm.RecordableDecisionKinds {
		if lpm.DecisionFits(k, e.State) != nil || !v.may(lpm.DecisionAction(k), lpm.EpicTarget(e)) {
			continue
		}
		f.Kinds = append(f.Kinds, option{string(k), decisionKindTitles[k]})
	}
	if len(f.Kinds) == 0 {
		return nil
	}
	return f
}

// recordDecision records the decision the epic page's form describes.
func (h *handler) recordDecision(w http.ResponseWriter, r *http.Request) {
	v, e, p, ok := h.signedInEpic(w, r)
	if !ok {
		return
	}
	form := r.PostForm
	d := lpm.Decision{EpicID: e.ID, Kind: lpm.DecisionKind(form.Get("kind")), Rationale: strings.TrimSpace(form.Get("rationale")),
		DecidedBy: v.user.Name}
	if d.Kind == lpm.DecisionMVPEvaluation {
		d.Outcome = form.Get("outcome")
	}
	decided, err := lpm.NewDecision(d, lpm.Now())
	if err == nil {
		err = h.store.CreateDecision(r.Context(), decided, v.actor)
	}
	if err == nil {
		h.notify(w, r, fmt.Sprintf("Decision recorded on %s: %s.", e.Key, strings.ToLower(decisionKindTitles[decided.Kind])))
		http.Redirect(w, r, fmt.Sprintf("/epics/%d#history", e.ID), http.StatusSeeOther)
		return
	}
	if lpm.ErrorCodeOf(err) == lpm.EINTERNAL {
		h.internalError(w, r, "record the decision", err)
		return
	}
	view, verr := h.epicView(r.Context(), v, e, p)
	if verr != nil {
		h.internalError(w, r, "load the epic", verr)
		return
	}
	if view.Decide == nil {
		view.Decide = &decisionForm{}
	}
	view.Decide.Kind, view.Decide.Outcome, view.Decide.Rationale = string(d.Kind), d.Outcome, form.Get("rationale")
	view.Decide.Errors = []string{explain(err)}
	view.chrome = h.inPortfolio(w, r, v, p, sectionBoard, e.Key+" "+e.Title)
	view.Scripts = []string{"live.js"}
	h.render(w, r, http.StatusUnprocessableEntity, pageEpic, view)
}
