package auditexport

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/lpm-project/lpm/internal/lpm"
)

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"alice":             "alice",
		"=SUM(A1:A9)":       "'=SUM(A1:A9)",
		"+1":                "'+1",
		"-1":                "'-1",
		"@cmd":              "'@cmd",
		"\tx":               "'\tx",
		"\rx":               "'\rx",
		"a=b":               "a=b",
		`{"title":"=x"}`:    `{"title":"=x"}`,
		"2026-01-01T00:00Z": "2026-01-01T00:00Z",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWriterFormats(t *testing.T) {
	e := lpm.AuditEntry{Seq: 2, PortfolioID: 1, At: time.Date(2026, 3, 1, 9, 0, 0, 5000, time.UTC), Actor: "=amara",
		Address: "10.0.0.7", Action: "epic.update", ObjectType: "epic", ObjectID: 42,
		Before: json.RawMessage(`{"title":"A"}`), After: json.RawMessage(`{"title":"B"}`), PrevHash: "p", Hash: "h"}

	var jl bytes.Buffer
	w, err := NewWriter(JSONL, &jl)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(e); err != nil || w.Flush() != nil {
		t.Fatal(err)
	}
	want := `{"seq":2,"at":"2026-03-01T09:00:00.000005Z","actor":"=amara","address":"10.0.0.7","action":"epic.update",` +
		`"object_type":"epic","object_id":42,"before":{"title":"A"},"after":{"title":"B"},"prev_hash":"p","hash":"h"}` + "\n"
	if jl.String() != want {
		t.Errorf("JSON line:\n got %s\nwant %s", jl.String(), want)
	}

	var c bytes.Buffer
	w, _ = NewWriter(CSV, &c)
	e.Before = nil
	if err := w.Write(e); err != nil || w.Flush() != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantRows := [][]string{Columns, {"2", "2026-03-01T09:00:00.000005Z", "'=amara", "10.0.0.7", "epic.update", "epic", "42",
		"{}", `{"title":"B"}`, "p", "h"}}
	if diff := cmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("CSV (-want +got):\n%s", diff)
	}
	if _, err := NewWriter("xml", &c); err == nil {
		t.Error("an unknown format is accepted")
	}
}
