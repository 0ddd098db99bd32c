package lpm

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

var auditT0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// chain builds n sealed entries of portfolio 1.
func chain(t *testing.T, n int) ([]*AuditEntry, *AuditHead) {
	t.Helper()
	var head *AuditHead
	var out []*AuditEntry
	for i := range n {
		before := Fields{"title": "v" + string(rune('a'+i))}
		after := Fields{"title": "v" + string(rune('b'+i))}
		e, err := NewAuditEntry(Actor{UserID: 3, Name: "amara", Address: "10.0.0.7"}, "epic.update", "epic", 42, 1,
			before, after, auditT0.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		e.Seal(head)
		head = &AuditHead{PortfolioID: 1, Seq: e.Seq, Hash: e.Hash}
		out = append(out, e)
	}
	return out, head
}

func verify(entries []*AuditEntry, head *AuditHead) (int64, error) {
	v := ChainVerifier{PortfolioID: 1}
	for _, e := range entries {
		if !v.Next(e) {
			break
		}
	}
	return v.Finish(head)
}

func TestAuditEntryKeepsOnlyChangedFields(t *testing.T) {
	e, err := NewAuditEntry(Actor{Name: "amara"}, "epic.update", "epic", 1, 1,
		Fields{"title": "A", "wsjf.job_size": 3, "theme_ids": []int64{1, 2}},
		Fields{"title": "B", "wsjf.job_size": 3, "theme_ids": []int64{1, 2}}, auditT0)
	if err != nil {
		t.Fatal(err)
	}
	if string(e.Before) != `{"title":"A"}` || string(e.After) != `{"title":"B"}` {
		t.Errorf("before %s after %s, want only title", e.Before, e.After)
	}
	same, _ := NewAuditEntry(Actor{Name: "amara"}, "epic.update", "epic", 1, 1, Fields{"n": 1}, Fields{"n": int64(1)}, auditT0)
	if same.Changed() {
		t.Errorf("an update that changes nothing counts as a change: %s → %s", same.Before, same.After)
	}
	created, _ := NewAuditEntry(Actor{Name: "amara"}, "epic.create", "epic", 1, 1, nil, Fields{"title": "A"}, auditT0)
	if string(created.Before) != "{}" || string(created.After) != `{"title":"A"}` {
		t.Errorf("create: before %s after %s", created.Before, created.After)
	}
}

func TestAuditChainVerifies(t *testing.T) {
	entries, head := chain(t, 5)
	n, err := verify(entries, head)
	if err != nil || n != 5 {
		t.Fatalf("untouched chain: %d entries, %v", n, err)
	}
	if entries[0].Seq != 1 || entries[0].PrevHash != "" || entries[4].PrevHash != entries[3].Hash {
		t.Errorf("chain links wrong: first %d %q, last prev %q", entries[0].Seq, entries[0].PrevHash, entries[4].PrevHash)
	}
	if n, err := verify(nil, nil); err != nil || n != 0 {
		t.Errorf("empty chain: %d, %v", n, err)
	}
}

func TestAuditChainCatchesTampering(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func([]*AuditEntry, *AuditHead) ([]*AuditEntry, *AuditHead)
		wantSeq int64
		reason  string
	}{
		{"edited field", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			es[2].After = json.RawMessage(`{"title":"forged"}`)
			return es, h
		}, 3, "edited"},
		{"edited actor", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			es[1].Actor = "mallory"
			return es, h
		}, 2, "edited"},
		{"edited time", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			es[3].At = es[3].At.Add(time.Second)
			return es, h
		}, 4, "edited"},
		{"deleted middle entry", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			return append(es[:2:2], es[3:]...), h
		}, 3, "missing"},
		{"deleted and renumbered", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			out := append(es[:2:2], es[3:]...)
			for i, e := range out {
				e.Seq = int64(i + 1)
			}
			return out, h
		}, 3, "previous-hash"},
		{"swapped entries", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			es[1], es[2] = es[2], es[1]
			es[1].Seq, es[2].Seq = 2, 3
			return es, h
		}, 2, "previous-hash"},
		{"deleted newest entry", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			return es[:4], h
		}, 5, "newest"},
		{"rehashed edit without the rest", func(es []*AuditEntry, h *AuditHead) ([]*AuditEntry, *AuditHead) {
			es[2].Actor = "mallory"
			es[2].Hash = es[2].ComputeHash()
			return es, h
		}, 4, "previous-hash"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries, head := chain(t, 5)
			entries, head = c.tamper(entries, head)
			_, err := verify(entries, head)
			br, ok := err.(*ChainBreak)
			if !ok {
				t.Fatalf("tampering not caught: %v", err)
			}
			if br.Seq != c.wantSeq || !strings.Contains(br.Reason, c.reason) {
				t.Errorf("break at %d (%s), want %d with %q", br.Seq, br.Reason, c.wantSeq, c.reason)
			}
			if !strings.Contains(br.Error(), "portfolio 1") {
				t.Errorf("message %q does not name the chain", br.Error())
			}
		})
	}
}

func TestAuditFilterValidate(t *testing.T) {
	if err := (AuditFilter{ObjectType: "epic", ObjectID: 3, Actor: "amara"}).Validate(); err != nil {
		t.Errorf("valid filter refused: %v", err)
	}
	err := AuditFilter{ObjectType: "spaceship", ObjectID: 1, From: auditT0, To: auditT0}.Validate()
	var fields []string
	for _, v := range AsError(err).Violations {
		fields = append(fields, v.Field)
	}
	if strings.Join(fields, ",") != "object_type,to" {
		t.Errorf("got violations %v, want object_type and to", fields)
	}
	if err := (AuditFilter{ObjectID: 1}).Validate(); ErrorCodeOf(err) != EINVALID {
		t.Errorf("object_id without object_type: got %v", err)
	}
}
