// Package auditexport writes audit trail entries as the API and the command
// line both show them: one JSON shape, and the JSON Lines and CSV export
// formats, so that a file exported on the server and one downloaded through
// the API read the same.
package auditexport

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/lpm-project/lpm/internal/lpm"
)

// Export formats.
const (
	JSONL = "jsonl"
	CSV   = "csv"
)

// ContentTypes are the media types of the formats.
var ContentTypes = map[string]string{JSONL: "application/x-ndjson", CSV: "text/csv; charset=utf-8"}

// Columns are the columns of a CSV export, in order. They never change once
// published: tools read them by position.
var Columns = []string{"seq", "at", "actor", "address", "action", "object_type", "object_id",
	"before", "after", "prev_hash", "hash"}

// AuditEntry is one entry of an audit trail in JSON: an item of the API's
// list, and a line of a JSON Lines export.
type AuditEntry struct {
	Seq        int64      `json:"seq" doc:"Numbers the entries of one trail from 1 without gaps."`
	At         time.Time  `json:"at"`
	Actor      string     `json:"actor" doc:"User name of who made the change (lpm's own name for the command line)."`
	Address    string     `json:"address" doc:"Where the request came from; empty for the command line."`
	Action     string     `json:"action" doc:"What happened, as <object>.<verb>, e.g. epic.update."`
	ObjectType string     `json:"object_type"`
	ObjectID   int64      `json:"object_id"`
	Before     JSONObject `json:"before" doc:"The changed fields before the change; {} for a creation."`
	After      JSONObject `json:"after" doc:"The changed fields after the change; {} for a deletion."`
	PrevHash   string     `json:"prev_hash" doc:"hash of the entry before; empty for the first."`
	Hash       string     `json:"hash" doc:"SHA-256 over prev_hash and the entry: editing, removing or reordering entries breaks the chain."`
}

// FromEntry returns e in its JSON shape.
func FromEntry(e lpm.AuditEntry) AuditEntry {
	return AuditEntry{Seq: e.Seq, At: e.At.UTC(), Actor: e.Actor, Address: e.Address, Action: e.Action,
		ObjectType: e.ObjectType, ObjectID: e.ObjectID, Before: JSONObject(e.Before), After: JSONObject(e.After),
		PrevHash: e.PrevHash, Hash: e.Hash}
}

// JSONObject is a JSON object passed through as stored.
type JSONObject json.RawMessage

// MarshalJSON writes the object as it is; nothing is {}.
func (j JSONObject) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("{}"), nil
	}
	return j, nil
}

// Writer writes entries in one export format.
type Writer struct {
	jsonl *json.Encoder
	csv   *csv.Writer
}

// NewWriter returns a writer of format (JSONL or CSV) to w; a CSV export
// starts with its header row.
func NewWriter(format string, w io.Writer) (*Writer, error) {
	switch format {
	case JSONL:
		return &Writer{jsonl: json.NewEncoder(w)}, nil
	case CSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(Columns); err != nil {
			return nil, fmt.Errorf("write the CSV header: %w", err)
		}
		return &Writer{csv: cw}, nil
	}
	return nil, fmt.Errorf("unknown audit export format %q: use %s or %s", format, JSONL, CSV)
}

// Write writes one entry.
func (w *Writer) Write(e lpm.AuditEntry) error {
	j := FromEntry(e)
	if w.jsonl != nil {
		return w.jsonl.Encode(j)
	}
	before, _ := j.Before.MarshalJSON()
	after, _ := j.After.MarshalJSON()
	row := []string{strconv.FormatInt(j.Seq, 10), j.At.Format(time.RFC3339Nano), j.Actor, j.Address, j.Action,
		j.ObjectType, strconv.FormatInt(j.ObjectID, 10), string(before), string(after), j.PrevHash, j.Hash}
	for i := range row {
		row[i] = csvCell(row[i])
	}
	return w.csv.Write(row)
}

// Flush writes out what is buffered and reports any write error.
func (w *Writer) Flush() error {
	if w.csv == nil {
		return nil
	}
	w.csv.Flush()
	return w.csv.Error()
}

// csvCell guards against CSV injection: a spreadsheet takes a cell starting
// with = + - @ (or a tab or carriage return) for a formula, so such a cell
// gets a leading apostrophe and is shown as the text it is.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
