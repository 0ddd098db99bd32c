package lpm

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestAppendChanges(t *testing.T) {
	d := &Decision{EpicID: 7, Kind: DecisionGo}
	dep := &Dependency{FromEpicID: 7, ToEpicID: 9, Risk: RiskLow}
	streams := &Dependency{FromValueStreamID: 2, ToValueStreamID: 3, Risk: RiskLow}
	imp := &Impediment{Title: "Blocked", EpicID: 7}
	moved := *imp
	moved.EpicID = 9
	vsImp := &Impediment{Title: "Blocked", ValueStreamID: 2}
	tests := []struct {
		name          string
		action, obj   string
		id, portfolio int64
		before, after Fields
		epics         []int64
	}{
		{"an epic is its own", "epic.transition", "epic", 7, 1, Fields{"state": "funnel"}, Fields{"state": "reviewing"}, []int64{7}},
		{"a deleted epic", "epic.delete", "epic", 7, 1, (&Epic{}).AuditFields(), nil, []int64{7}},
		{"a decision's epic", "decision.create", "decision", 3, 1, nil, d.AuditFields(), []int64{7}},
		{"both epics of a dependency", "dependency.create", "dependency", 4, 1, nil, dep.AuditFields(), []int64{7, 9}},
		{"a deleted dependency", "dependency.delete", "dependency", 4, 1, dep.AuditFields(), nil, []int64{7, 9}},
		{"value streams only", "dependency.create", "dependency", 5, 1, nil, streams.AuditFields(), []int64{0}},
		{"an impediment's epic", "impediment.update", "impediment", 6, 1, imp.AuditFields(), imp.AuditFields(), []int64{7}},
		{"an impediment moved between epics", "impediment.update", "impediment", 6, 1, imp.AuditFields(), moved.AuditFields(), []int64{7, 9}},
		{"an impediment of a value stream", "impediment.create", "impediment", 6, 1, nil, vsImp.AuditFields(), []int64{0}},
		{"an estimate", "estimation_round.estimate", "estimation_round", 8, 1, nil, Fields{"epic_id": int64(7), "job_size": 5}, []int64{7}},
		{"a round", "estimation_round.create", "estimation_round", 8, 1, nil, Fields{"title": "PI 3", "epic_ids": []int64{7, 9}}, []int64{0}},
		{"a column", "kanban_column.update", "kanban_column", 3, 1, Fields{"wip_limit": nil}, Fields{"wip_limit": 4}, []int64{0}},
		{"a user of the site", "user.create", "user", 12, 0, nil, (&User{Name: "sam"}).AuditFields(), []int64{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prior := []Change{{Portfolio: 1, Object: "epic", ID: 9, Action: "epic.update", Epic: 9}}
			got := AppendChanges(slices.Clone(prior), tt.action, tt.obj, tt.id, tt.portfolio, tt.before, tt.after)
			if !slices.Equal(got[:1], prior) {
				t.Fatalf("the changes before were altered: %+v", got)
			}
			var want []Change
			for _, e := range tt.epics {
				want = append(want, Change{Portfolio: tt.portfolio, Object: tt.obj, ID: tt.id, Action: tt.action, Epic: e})
			}
			if !slices.Equal(got[1:], want) {
				t.Errorf("got %+v\nwant %+v", got[1:], want)
			}
		})
	}
}

// TestEveryEpicFieldIsKnown: an audited field that names an epic either
// tells the change feed which epic a change concerns, or is left out on
// purpose; a new one must be decided on.
func TestEveryEpicFieldIsKnown(t *testing.T) {
	leftOut := map[string]bool{"decision.new_epic_id": true}
	objects := map[string]Fields{
		"portfolio": (&Portfolio{}).AuditFields(), "kanban_column": (&Column{}).AuditFields(),
		"value_stream": (&ValueStream{}).AuditFields(), "theme": (&StrategicTheme{}).AuditFields(),
		"objective": (&Objective{}).AuditFields(), "key_result": (&KeyResult{}).AuditFields(),
		"check_in": (&CheckIn{}).AuditFields(), "impediment": (&Impediment{}).AuditFields(),
		"dependency": (&Dependency{}).AuditFields(), "decision": (&Decision{}).AuditFields(),
		"membership": (&Membership{}).AuditFields(), "group_role": (&GroupRole{}).AuditFields(),
		"user": (&User{}).AuditFields(), "token": (&Token{}).AuditFields(),
		"canvas_version": (&CanvasVersion{}).AuditFields(), "canvas_state": CanvasStateAuditFields("", false),
		// The store's own: an estimate (the round's fields list epic_ids).
		"estimation_round": {"epic_id": int64(0), "estimator": ""},
	}
	for _, obj := range AuditObjectTypes {
		if obj == "epic" {
			continue
		}
		fields, ok := objects[obj]
		if !ok {
			t.Errorf("audit object %q: say here which of its fields name an epic", obj)
			continue
		}
		for name := range fields {
			if !strings.HasSuffix(name, "epic_id") || leftOut[obj+"."+name] {
				continue
			}
			if !slices.Contains(changeEpicFields[obj], name) {
				t.Errorf("%s.%s names an epic, and the change feed does not know it (changeEpicFields)", obj, name)
			}
		}
	}
}

func TestChangeJSON(t *testing.T) {
	b, err := json.Marshal([]Change{{Portfolio: 1, Object: "epic", ID: 2, Action: "epic.update", Epic: 2}, Resync(3)})
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"portfolio":1,"object":"epic","id":2,"action":"epic.update","epic":2},{"portfolio":3,"object":"","id":0,"action":"resync"}]`
	if string(b) != want {
		t.Errorf("JSON %s\nwant %s", b, want)
	}
	if !Resync(3).IsResync() || (Change{Action: "epic.update"}).IsResync() {
		t.Error("IsResync")
	}
}
